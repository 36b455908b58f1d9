package io.alertrelay;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Every {@code relay.*} setting, with its default. The README's settings table mirrors this class. */
@ConfigurationProperties("relay")
public class RelayProperties {

    /** The receivers and routing file; when it does not exist, the embedded defaults (log receiver) apply. */
    private Path configFile = Path.of("config/relay.yaml");
    private Path templatesDir = Path.of("templates");
    /** The Camel YAML routes (camel.main.routes-include-pattern reads the same directory). */
    private Path routesDir = Path.of("routes");
    /** Language of the default templates: zh or en. */
    private String language = "zh";
    /** The relay's address as its users reach it (https://relay.example): the links in its messages; empty for none. */
    private String externalUrl = "";
    private ZoneId timeZone = ZoneId.of("Asia/Shanghai");
    /** Alerts listed in one message; the rest are counted as "N more". */
    private int maxAlertsPerMessage = 10;
    /** How long copies of the same group are merged before routing (HA pairs, rapid flushes). */
    private Duration groupWindow = Duration.ofSeconds(1);
    /** A pushed alert without endsAt resolves this long after it was last posted (Alertmanager's resolve_timeout). */
    private Duration resolveTimeout = Duration.ofMinutes(5);
    private final Dedup dedup = new Dedup();
    private final Ingest ingest = new Ingest();
    private final Delivery delivery = new Delivery();
    private final Admin admin = new Admin();
    private final Console console = new Console();
    private final Limits limits = new Limits();
    private final Cluster cluster = new Cluster();
    private final History history = new History();
    private final Silences silences = new Silences();
    private final Actions actions = new Actions();

    /** Relay silences (io.alertrelay.silence): kept after they end, and how fresh the matching's copy is. */
    public static class Silences {
        /** An expired silence is kept this long after its end, then deleted (Alertmanager's --data.retention). */
        private Duration retention = Duration.ofHours(120);
        /**
         * The longest a replica matches with its in-memory copy of the silences before reading the store again:
         * a silence made on another replica mutes here within this interval (its own at once).
         */
        private Duration reloadInterval = Duration.ofSeconds(3);

        public Duration getRetention() { return retention; }
        public void setRetention(Duration v) { retention = v; }
        public Duration getReloadInterval() { return reloadInterval; }
        public void setReloadInterval(Duration v) { reloadInterval = v; }
    }

    /** The silence and acknowledge links in messages (io.alertrelay.action); on only when external-url is set. */
    public static class Actions {
        /** A link works this long after its message was sent (and once). */
        private Duration linkLifetime = Duration.ofDays(7);
        /** Where groups from an Alertmanager are silenced; empty: the Alertmanager's own externalURL from its webhook. */
        private String alertmanagerUrl = "";
        /** The Authorization header for that Alertmanager's API (Bearer ..., Basic ...); empty for none. A secret. */
        private String alertmanagerAuthorization = "";
        /** Per Alertmanager (cluster), by the externalURL its webhooks carry: where its groups are silenced, and how. */
        private java.util.List<AlertmanagerTarget> alertmanagers = new java.util.ArrayList<>();

        public Duration getLinkLifetime() { return linkLifetime; }
        public void setLinkLifetime(Duration v) { linkLifetime = v; }
        public String getAlertmanagerUrl() { return alertmanagerUrl; }
        public void setAlertmanagerUrl(String v) { alertmanagerUrl = v; }
        public String getAlertmanagerAuthorization() { return alertmanagerAuthorization; }
        public void setAlertmanagerAuthorization(String v) { alertmanagerAuthorization = v; }
        public java.util.List<AlertmanagerTarget> getAlertmanagers() { return alertmanagers; }
        public void setAlertmanagers(java.util.List<AlertmanagerTarget> v) { alertmanagers = v; }
    }

    /** One Alertmanager (cluster) a relay takes webhooks from: its groups are silenced through {@code url}. */
    public static class AlertmanagerTarget {
        /** The externalURL its webhooks carry (--web.external-url). */
        private String externalUrl = "";
        /** Its API as the relay reaches it; empty: the externalURL. */
        private String url = "";
        /** The Authorization header for its API; empty for none. A secret. */
        private String authorization = "";

        public String getExternalUrl() { return externalUrl; }
        public void setExternalUrl(String v) { externalUrl = v; }
        public String getUrl() { return url; }
        public void setUrl(String v) { url = v; }
        public String getAuthorization() { return authorization; }
        public void setAuthorization(String v) { authorization = v; }
    }

    /** The delivery history (store/History): every message sent or failed, for the console and the admin API. */
    public static class History {
        /** A message is kept this long after it was sent. */
        private Duration retention = Duration.ofDays(7);
        /** Messages kept at most; beyond, the oldest go. */
        private long maxRows = 20_000;

        public Duration getRetention() { return retention; }
        public void setRetention(Duration v) { retention = v; }
        public long getMaxRows() { return maxRows; }
        public void setMaxRows(long v) { maxRows = v; }
    }

    /** Replicas sharing one PostgreSQL store (io.alertrelay.cluster); on the embedded store, one member. */
    public static class Cluster {
        /** This replica's name in the cluster (status, leases); empty: the host name and a random suffix. */
        private String memberName = "";
        /** A lease term: a dead replica's singletons and receivers are taken over this long after its last renewal. */
        private Duration lease = Duration.ofSeconds(15);

        public String getMemberName() { return memberName; }
        public void setMemberName(String v) { memberName = v; }
        public Duration getLease() { return lease; }
        public void setLease(Duration v) { lease = v; }
    }

    /**
     * Size bounds of what the relay accepts and keeps (io.alertrelay.alert.AlertLimits says how each
     * is applied): values are cut with a marker, counts a sender must fix are answered 400.
     */
    public static class Limits {
        /** Characters of a label value; longer ones are cut with "…(truncated, N chars)" (the fingerprint is the full value's). */
        private int maxLabelValueLength = 1024;
        /** Characters of an annotation value (description, runbook); longer ones are cut with the marker. */
        private int maxAnnotationValueLength = 4096;
        /** Labels of one alert, and annotations of one alert, each; more: 400. */
        private int maxLabelsPerAlert = 64;
        /** Characters of a label or annotation name; longer: 400. */
        private int maxNameLength = 256;
        /** Characters of one alert's labels and annotations together; past it every value is cut further (at least 64 kept). */
        private int maxAlertChars = 16_384;
        /** Alerts in one POST /api/v2/alerts; more: 400 (Prometheus sends at most 256 per request). */
        private int maxAlertsPerRequest = 1000;
        /** Alerts kept in one group (firing first); the rest are counted as truncatedAlerts, as Alertmanager's max_alerts. */
        private int maxAlertsPerGroup = 1000;
        /** Characters of all alerts of one group together; alerts beyond are counted as truncatedAlerts. */
        private int maxGroupChars = 65_536;
        /** Characters of a group key; a longer key becomes its beginning plus a SHA-256 of the whole key. */
        private int maxKeyLength = 512;
        /** Characters of a URL (externalURL, generatorURL, Grafana's links); a longer one is dropped, not cut. */
        private int maxUrlLength = 2048;
        /** Attempts at dispatching a stored group (or flushing a pushed group, or rendering and sending a
         *  notification) that never finished, counted before each attempt; after this many the row is dead-lettered. */
        private int maxUnfinishedAttempts = 3;
        /** Group copies accepted into the embedded store's journal and not yet dispatched; more are answered 503. */
        private long maxInboxCopies = 50_000;

        public int getMaxLabelValueLength() { return maxLabelValueLength; }
        public void setMaxLabelValueLength(int v) { maxLabelValueLength = v; }
        public int getMaxAnnotationValueLength() { return maxAnnotationValueLength; }
        public void setMaxAnnotationValueLength(int v) { maxAnnotationValueLength = v; }
        public int getMaxLabelsPerAlert() { return maxLabelsPerAlert; }
        public void setMaxLabelsPerAlert(int v) { maxLabelsPerAlert = v; }
        public int getMaxNameLength() { return maxNameLength; }
        public void setMaxNameLength(int v) { maxNameLength = v; }
        public int getMaxAlertChars() { return maxAlertChars; }
        public void setMaxAlertChars(int v) { maxAlertChars = v; }
        public int getMaxAlertsPerRequest() { return maxAlertsPerRequest; }
        public void setMaxAlertsPerRequest(int v) { maxAlertsPerRequest = v; }
        public int getMaxAlertsPerGroup() { return maxAlertsPerGroup; }
        public void setMaxAlertsPerGroup(int v) { maxAlertsPerGroup = v; }
        public int getMaxGroupChars() { return maxGroupChars; }
        public void setMaxGroupChars(int v) { maxGroupChars = v; }
        public int getMaxKeyLength() { return maxKeyLength; }
        public void setMaxKeyLength(int v) { maxKeyLength = v; }
        public int getMaxUrlLength() { return maxUrlLength; }
        public void setMaxUrlLength(int v) { maxUrlLength = v; }
        public int getMaxUnfinishedAttempts() { return maxUnfinishedAttempts; }
        public void setMaxUnfinishedAttempts(int v) { maxUnfinishedAttempts = v; }
        public long getMaxInboxCopies() { return maxInboxCopies; }
        public void setMaxInboxCopies(long v) { maxInboxCopies = v; }
    }

    public static class Admin {
        /** Bearer token of the admin API (/api/v1/*); empty keeps the admin API closed. */
        private String token = "";

        public String getToken() { return token; }
        public void setToken(String v) { token = v; }
    }

    /** The console (/ui/): who may log in besides "admin" with the admin token (io.alertrelay.console). */
    public static class Console {
        /** User name → password hash in Spring Security's form ({bcrypt}$2y$..., {pbkdf2}...); ${ENV} placeholders work. */
        private java.util.Map<String, String> users = new java.util.LinkedHashMap<>();

        public java.util.Map<String, String> getUsers() { return users; }
        public void setUsers(java.util.Map<String, String> v) { users = v; }
    }

    public static class Dedup {
        /**
         * An unchanged group from Alertmanager or Grafana this soon after its last notification is a
         * copy (the other Alertmanager of an HA pair: peer_timeout 15s per position); later, it is
         * their repeat and goes out.
         */
        private Duration duplicateWindow = Duration.ofSeconds(30);
        private long maxEntries = 100_000;
        private Duration retention = Duration.ofDays(5);

        public Duration getDuplicateWindow() { return duplicateWindow; }
        public void setDuplicateWindow(Duration v) { duplicateWindow = v; }
        public long getMaxEntries() { return maxEntries; }
        public void setMaxEntries(long v) { maxEntries = v; }
        public Duration getRetention() { return retention; }
        public void setRetention(Duration v) { retention = v; }
    }

    public static class Ingest {
        private DataSize maxBodySize = DataSize.ofMegabytes(1);
        private String bearerToken = "";
        private String basicAuthUsername = "";
        private String basicAuthPassword = "";

        public DataSize getMaxBodySize() { return maxBodySize; }
        public void setMaxBodySize(DataSize v) { maxBodySize = v; }
        public String getBearerToken() { return bearerToken; }
        public void setBearerToken(String v) { bearerToken = v; }
        public String getBasicAuthUsername() { return basicAuthUsername; }
        public void setBasicAuthUsername(String v) { basicAuthUsername = v; }
        public String getBasicAuthPassword() { return basicAuthPassword; }
        public void setBasicAuthPassword(String v) { basicAuthPassword = v; }
    }

    public static class Delivery {
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        /** First retry delay; it doubles per attempt (with jitter) up to maxRetryDelay. */
        private Duration retryDelay = Duration.ofSeconds(1);
        private Duration maxRetryDelay = Duration.ofMinutes(5);
        /** A notification not delivered after this long becomes a dead letter. */
        private Duration maxAge = Duration.ofHours(24);
        /** Groups carried by one message at most (a digest); more wait for the next message. */
        private int maxGroupsPerMessage = 100;
        /** Messages per minute to each email receiver; 0 for no limit (chat robots use their platform's limits). */
        private int emailRatePerMinute = 0;
        /** How late a notification may be before a receiver's messages become summaries (a receiver's max_delay overrides it); 0 never. */
        private Duration maxDelay = Duration.ofMinutes(2);
        /** Groups one summary covers at most; what is left goes in the next one. */
        private int maxGroupsPerSummary = 1000;
        /** How long a group shown only in a summary keeps its resolution from being sent on its own. */
        private Duration summarizedRetention = Duration.ofHours(24);

        public Duration getMaxDelay() { return maxDelay; }
        public void setMaxDelay(Duration v) { maxDelay = v; }
        public int getMaxGroupsPerSummary() { return maxGroupsPerSummary; }
        public void setMaxGroupsPerSummary(int v) { maxGroupsPerSummary = v; }
        public Duration getSummarizedRetention() { return summarizedRetention; }
        public void setSummarizedRetention(Duration v) { summarizedRetention = v; }

        public int getEmailRatePerMinute() { return emailRatePerMinute; }
        public void setEmailRatePerMinute(int v) { emailRatePerMinute = v; }

        public Duration getRetryDelay() { return retryDelay; }
        public void setRetryDelay(Duration v) { retryDelay = v; }
        public Duration getMaxRetryDelay() { return maxRetryDelay; }
        public void setMaxRetryDelay(Duration v) { maxRetryDelay = v; }
        public Duration getMaxAge() { return maxAge; }
        public void setMaxAge(Duration v) { maxAge = v; }
        public int getMaxGroupsPerMessage() { return maxGroupsPerMessage; }
        public void setMaxGroupsPerMessage(int v) { maxGroupsPerMessage = v; }

        public Duration getConnectTimeout() { return connectTimeout; }
        public void setConnectTimeout(Duration v) { connectTimeout = v; }
        public Duration getReadTimeout() { return readTimeout; }
        public void setReadTimeout(Duration v) { readTimeout = v; }
    }

    public Path getConfigFile() { return configFile; }
    public void setConfigFile(Path v) { configFile = v; }
    public Path getTemplatesDir() { return templatesDir; }
    public Path getRoutesDir() { return routesDir; }
    public void setRoutesDir(Path v) { routesDir = v; }
    public void setTemplatesDir(Path v) { templatesDir = v; }
    public String getExternalUrl() { return externalUrl; }
    public void setExternalUrl(String v) { externalUrl = v; }
    public String getLanguage() { return language; }
    public void setLanguage(String v) { language = v; }
    public ZoneId getTimeZone() { return timeZone; }
    public void setTimeZone(ZoneId v) { timeZone = v; }
    public int getMaxAlertsPerMessage() { return maxAlertsPerMessage; }
    public void setMaxAlertsPerMessage(int v) { maxAlertsPerMessage = v; }
    public Duration getGroupWindow() { return groupWindow; }
    public Duration getResolveTimeout() { return resolveTimeout; }
    public void setResolveTimeout(Duration v) { resolveTimeout = v; }
    public void setGroupWindow(Duration v) { groupWindow = v; }
    public Dedup getDedup() { return dedup; }
    public Ingest getIngest() { return ingest; }
    public Delivery getDelivery() { return delivery; }
    public Admin getAdmin() { return admin; }
    public Console getConsole() { return console; }
    public Actions getActions() { return actions; }
    public Limits getLimits() { return limits; }
    public Cluster getCluster() { return cluster; }
    public History getHistory() { return history; }
    public Silences getSilences() { return silences; }
}
