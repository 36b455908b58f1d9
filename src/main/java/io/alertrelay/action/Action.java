package io.alertrelay.action;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** What a link in a message does to its group: acknowledge it, or silence it for a while. */
public enum Action {
    ACK(1, null, "action.ack"),
    SILENCE_1H(2, Duration.ofHours(1), "action.silence1h"),
    SILENCE_4H(3, Duration.ofHours(4), "action.silence4h"),
    SILENCE_24H(4, Duration.ofHours(24), "action.silence24h");

    private final int code;
    private final Duration silence;
    private final String word;

    Action(int code, Duration silence, String word) {
        this.code = code;
        this.silence = silence;
        this.word = word;
    }

    /** The byte that names it in a link. */
    int code() {
        return code;
    }

    static Optional<Action> ofCode(int code) {
        return Arrays.stream(values()).filter(a -> a.code == code).findFirst();
    }

    public boolean isSilence() {
        return silence != null;
    }

    /** How long a silence lasts; null for an acknowledgement. */
    public Duration silenceFor() {
        return silence;
    }

    /** The key of its button's label in the templates' words ({@code words-zh.properties}). */
    public String word() {
        return word;
    }
}
