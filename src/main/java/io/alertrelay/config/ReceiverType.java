package io.alertrelay.config;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A receiver's {@code type}: the id of the channel that delivers to it ({@code notify/<type>/}). Any
 * id reads; whether a channel of that id exists is checked against the registered channels
 * ({@link ReceiverSpec}), so a new channel needs no change here. The constants name the channels
 * the relay shipped with first, for code that builds receivers itself (the embedded defaults).
 */
public record ReceiverType(String id) {

    public static final ReceiverType FEISHU = new ReceiverType("feishu");
    public static final ReceiverType DINGTALK = new ReceiverType("dingtalk");
    public static final ReceiverType WECOM = new ReceiverType("wecom");
    public static final ReceiverType EMAIL = new ReceiverType("email");
    public static final ReceiverType LOG = new ReceiverType("log");

    public ReceiverType {
        if (id == null || !id.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("a receiver type is a lowercase name, e.g. 'slack'");
        }
    }

    /** The type of this id, in any case ({@code FEISHU} or {@code feishu}). */
    public static ReceiverType valueOf(String id) {
        return new ReceiverType(id == null ? null : id.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    @JsonValue
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
