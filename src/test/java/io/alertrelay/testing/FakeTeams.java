package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fake Microsoft Teams Workflows (Power Automate) webhook: {@code POST /workflows/ID/triggers/manual/paths/invoke
 * ?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIG}, as the "Post to a channel when a webhook
 * request is received" template receives it.
 *
 * <p>The {@code sig} query parameter is the credential. Errors are Logic Apps' JSON
 * {@code {"error":{"code":"...","message":"..."}}}; success is 202 with an empty body (posting is asynchronous:
 * 202 does not mean posted). Rules, in the order they are checked (contract:
 * {@code /work/shared/reference/more-channels.md}):
 * <ol>
 *   <li>path not {@code /workflows/ID/triggers/manual/paths/invoke} for this workflow id: 404
 *       {@code WorkflowNotFound}.</li>
 *   <li>{@code api-version} missing: 400 {@code MissingApiVersionParameter}; not {@code 2016-06-01}: 400
 *       {@code InvalidApiVersionParameter}.</li>
 *   <li>{@code sig} missing: 401 {@code DirectApiAuthorizationRequired}; {@code sig} wrong, or {@code sp} not
 *       {@code /triggers/manual/run} or {@code sv} not {@code 1.0} (they are part of the signed URL): 401
 *       {@code DirectApiInvalidAuthorizationSignature}.</li>
 *   <li>method not POST: 400 {@code TriggerRequestMethodNotValid}.</li>
 *   <li>body over 28 KB (28672 bytes, the Teams message limit): 413 {@code MessageTooLarge}.</li>
 *   <li>Content-Type not {@code application/json} or body not a JSON object: 400 {@code InvalidRequestContent}.</li>
 *   <li>rate: 4 accepted per sliding second ({@link #setRatePerSecond}): 429 {@code WorkflowRequestsThrottled}
 *       with {@code Retry-After} (whole seconds until one more fits).</li>
 *   <li>not the shape the template loops over: {@code type} not {@code "message"}; {@code attachments} missing,
 *       not an array or empty; an attachment's {@code contentType} not
 *       {@code application/vnd.microsoft.card.adaptive}; its {@code content} not an object, {@code content.type}
 *       not {@code AdaptiveCard}, {@code content.version} not a string like {@code "1.2"}, {@code content.body}
 *       not a non-empty array of objects each with a string {@code type}; {@code content.msteams.entities} not an
 *       array of {@code {"type":"mention","text":"<at>NAME</at>","mentioned":{"id":"...","name":"..."}}}: 400
 *       {@code InvalidTemplate}. (The real trigger answers 202 and the flow run fails afterwards; the fake answers
 *       400 so that the sender's test sees it.)</li>
 * </ol>
 * A {@code <at>NAME</at>} in a card without a matching mention entity is not rejected (Teams shows it as plain
 * text): tests check it with {@link #unmatchedAtTags}.
 */
public final class FakeTeams extends FakeBotServer {

    public static final int MAX_BODY_BYTES = 28 * 1024;
    public static final String API_VERSION = "2016-06-01";
    public static final String SP = "/triggers/manual/run";
    public static final String SV = "1.0";
    public static final String ADAPTIVE = "application/vnd.microsoft.card.adaptive";
    public static final int DEFAULT_PER_SECOND = 4;

    private static final Pattern AT = Pattern.compile("<at>(.*?)</at>", Pattern.DOTALL);
    private static final Pattern VERSION = Pattern.compile("^\\d+\\.\\d+$");

    /** One {@code content.msteams.entities} mention of a card. */
    public record Mention(String text, String id, String name) {
    }

    private final String sig;
    private final String path;
    private final AtomicLong runs = new AtomicLong(8_584_000_000_000_000_000L);

    private FakeTeams(String workflowId, String sig) {
        super("FakeTeams", 0, DEFAULT_PER_SECOND, Duration.ZERO);
        if (workflowId == null || workflowId.isEmpty() || workflowId.contains("/") || sig == null || sig.isEmpty()) {
            throw new IllegalArgumentException("workflow id (without '/') and sig required");
        }
        this.sig = sig;
        this.path = "/workflows/" + workflowId + "/triggers/manual/paths/invoke";
    }

    /** Starts a workflow trigger with this id (32 hex digits in production) and signature. */
    public static FakeTeams start(String workflowId, String sig) {
        FakeTeams fake = new FakeTeams(workflowId, sig);
        fake.bind();
        return fake;
    }

    /**
     * {@code http://127.0.0.1:PORT/workflows/ID/triggers/manual/paths/invoke?api-version=2016-06-01
     * &sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIG}.
     */
    @Override
    public String webhookUrl() {
        return baseUrl() + path + "?api-version=" + API_VERSION + "&sp=" + urlEncode(SP) + "&sv=" + SV
                + "&sig=" + urlEncode(sig);
    }

    /** The Adaptive Cards ({@code attachments[].content}) of a request, in order. */
    public static List<JsonNode> cards(BotRequest request) {
        List<JsonNode> cards = new ArrayList<>();
        JsonNode json = request.json();
        if (json != null) {
            json.path("attachments").forEach(a -> {
                if (a.path("content").isObject()) {
                    cards.add(a.get("content"));
                }
            });
        }
        return cards;
    }

    /** The mention entities ({@code content.msteams.entities} of type mention) of all cards of a request. */
    public static List<Mention> mentionEntities(BotRequest request) {
        List<Mention> mentions = new ArrayList<>();
        for (JsonNode card : cards(request)) {
            for (JsonNode e : card.path("msteams").path("entities")) {
                if ("mention".equals(e.path("type").asText())) {
                    mentions.add(new Mention(e.path("text").asText(), e.path("mentioned").path("id").asText(),
                            e.path("mentioned").path("name").asText()));
                }
            }
        }
        return mentions;
    }

    /** Every {@code <at>NAME</at>} in the texts of the cards' bodies, in order (with repeats). */
    public static List<String> atTags(BotRequest request) {
        List<String> tags = new ArrayList<>();
        for (JsonNode card : cards(request)) {
            collectAtTags(card.get("body"), tags);
        }
        return tags;
    }

    /** The {@code <at>NAME</at>} tags of a request that no mention entity of its card has as {@code text}. */
    public static List<String> unmatchedAtTags(BotRequest request) {
        List<String> unmatched = new ArrayList<>();
        for (JsonNode card : cards(request)) {
            List<String> tags = new ArrayList<>();
            collectAtTags(card.get("body"), tags);
            List<String> texts = new ArrayList<>();
            card.path("msteams").path("entities").forEach(e -> {
                if ("mention".equals(e.path("type").asText())) {
                    texts.add(e.path("text").asText());
                }
            });
            tags.stream().filter(t -> !texts.contains(t)).forEach(unmatched::add);
        }
        return unmatched;
    }

    private static void collectAtTags(JsonNode node, List<String> out) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            Matcher m = AT.matcher(node.asText());
            while (m.find()) {
                out.add(m.group());
            }
        } else {
            node.forEach(child -> collectAtTags(child, out));
        }
    }

    @Override
    protected Answer process(Incoming in, Instant now) {
        if (!path.equals(in.path())) {
            return error(404, "WorkflowNotFound", "The workflow could not be found.", "unknown path");
        }
        String version = in.query().get("api-version");
        if (version == null) {
            return error(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.", "no api-version");
        }
        if (!API_VERSION.equals(version)) {
            return error(400, "InvalidApiVersionParameter", "The api-version '" + version
                    + "' is invalid. The supported versions are '" + API_VERSION + "'.", "api-version " + version);
        }
        String given = in.query().get("sig");
        if (given == null || given.isEmpty()) {
            return error(401, "DirectApiAuthorizationRequired",
                    "The request must be authenticated only by Shared Access scheme.", "no sig");
        }
        if (!MessageDigest.isEqual(sig.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))
                || !SP.equals(in.query().get("sp")) || !SV.equals(in.query().get("sv"))) {
            return signErrorAnswer("sig, sp or sv mismatch");
        }
        if (!"POST".equals(in.method())) {
            return error(400, "TriggerRequestMethodNotValid", "The HTTP method for this request is not valid: "
                    + "expected 'Post' and actual '" + in.method() + "'.", "method " + in.method());
        }
        if (in.body().length > MAX_BODY_BYTES) {
            return error(413, "MessageTooLarge", "The request body is " + in.body().length + " bytes, over the "
                    + MAX_BODY_BYTES + " bytes (28 KB) a Teams message allows.", "body " + in.body().length + " bytes");
        }
        if (!in.isJsonContentType()) {
            return error(400, "InvalidRequestContent", "The request content type '" + in.header("Content-Type")
                    + "' is not supported: application/json expected.", "Content-Type " + in.header("Content-Type"));
        }
        ObjectNode msg = in.object();
        if (msg == null) {
            return error(400, "InvalidRequestContent", "The request content is not a valid JSON object.",
                    "body is not a JSON object");
        }
        if (rateLimited(now)) {
            return throttled(retryAfter(now), "rate limit");
        }
        String invalid = validate(msg);
        if (invalid != null) {
            return error(400, "InvalidTemplate", invalid, invalid);
        }
        return successAnswer(202, null, "", null)
                .withHeader("x-ms-workflow-run-id", Long.toString(runs.incrementAndGet()));
    }

    private static String validate(ObjectNode msg) {
        if (!"message".equals(msg.path("type").asText(null))) {
            return "The body 'type' must be \"message\".";
        }
        JsonNode attachments = msg.get("attachments");
        if (attachments == null || !attachments.isArray() || attachments.isEmpty()) {
            return "The 'foreach' over '@triggerOutputs()?['body']?['attachments']' failed: 'attachments' must be a "
                    + "non-empty array.";
        }
        for (int i = 0; i < attachments.size(); i++) {
            String at = "attachments[" + i + "]";
            JsonNode a = attachments.get(i);
            if (!a.isObject()) {
                return at + " is not an object.";
            }
            if (!ADAPTIVE.equals(a.path("contentType").asText(null))) {
                return at + ".contentType must be '" + ADAPTIVE + "'.";
            }
            JsonNode card = a.get("content");
            if (card == null || !card.isObject()) {
                return at + ".content must be an Adaptive Card object.";
            }
            if (!"AdaptiveCard".equals(card.path("type").asText(null))) {
                return at + ".content.type must be 'AdaptiveCard'.";
            }
            JsonNode version = card.get("version");
            if (version == null || !version.isTextual() || !VERSION.matcher(version.asText()).matches()) {
                return at + ".content.version must be a version string such as \"1.2\".";
            }
            JsonNode body = card.get("body");
            if (body == null || !body.isArray() || body.isEmpty()) {
                return at + ".content.body must be a non-empty array of card elements.";
            }
            for (int b = 0; b < body.size(); b++) {
                if (!body.get(b).isObject() || !body.get(b).path("type").isTextual()) {
                    return at + ".content.body[" + b + "] must be an element object with a 'type'.";
                }
            }
            JsonNode msteams = card.get("msteams");
            JsonNode entities = msteams == null ? null : msteams.get("entities");
            if (entities != null && !entities.isNull()) {
                String problem = checkEntities(entities);
                if (problem != null) {
                    return at + ".content.msteams.entities" + problem;
                }
            }
        }
        return null;
    }

    private static String checkEntities(JsonNode entities) {
        if (!entities.isArray()) {
            return " must be an array.";
        }
        for (int e = 0; e < entities.size(); e++) {
            JsonNode entity = entities.get(e);
            if (!"mention".equals(entity.path("type").asText(null))) {
                return "[" + e + "].type must be 'mention'.";
            }
            if (!AT.matcher(entity.path("text").asText("")).matches()) {
                return "[" + e + "].text must be '<at>NAME</at>'.";
            }
            JsonNode mentioned = entity.get("mentioned");
            if (mentioned == null || mentioned.path("id").asText("").isBlank()
                    || mentioned.path("name").asText("").isBlank()) {
                return "[" + e + "].mentioned must have an 'id' and a 'name'.";
            }
        }
        return null;
    }

    private static Answer throttled(Duration wait, String note) {
        long seconds = retryAfterSeconds(wait);
        return error(429, "WorkflowRequestsThrottled", "The workflow trigger is being throttled. Retry the request "
                + "after " + seconds + " second(s).", note).withHeader("Retry-After", Long.toString(seconds));
    }

    /** The injected rate-limit fault says {@code Retry-After: 1}. */
    @Override
    protected Answer rateLimitedAnswer(String note) {
        return throttled(Duration.ofSeconds(1), note);
    }

    @Override
    protected Answer signErrorAnswer(String note) {
        return error(401, "DirectApiInvalidAuthorizationSignature", "The provided authorization signature is "
                + "invalid.", note);
    }

    private static Answer error(int status, String code, String message, String note) {
        ObjectNode body = object();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return jsonAnswer(status, body, null, false, note);
    }
}
