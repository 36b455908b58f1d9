package io.alertrelay.store;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Send times of the last minute, durable, so that a relay restarted (or crash-looping) does not
 * spend a robot's rate budget twice: DingTalk answers that with 10 minutes of silence.
 */
public class SendLog {

    private final JdbcTemplate jdbc;

    public SendLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Written before the message goes out: a send the crash interrupted still counts. */
    public void record(String receiver, long at, long forgetBefore) {
        jdbc.update("INSERT INTO relay_sent (receiver, sent_at) VALUES (?, ?)", receiver, at);
        jdbc.update("DELETE FROM relay_sent WHERE sent_at < ?", forgetBefore);
    }

    /** Send times since {@code since}, by receiver, oldest first. */
    public Map<String, List<Long>> since(long since) {
        return jdbc.query("SELECT receiver, sent_at FROM relay_sent WHERE sent_at >= ? ORDER BY sent_at",
                        (rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)), since).stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }
}
