package io.alertrelay.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of receivers; each has one package under {@code io.alertrelay.notify}. */
public enum ReceiverType {
    FEISHU("interactive"),
    DINGTALK("markdown"),
    WECOM("markdown"),
    EMAIL("html"),
    LOG("text");

    private final String defaultFormat;

    ReceiverType(String defaultFormat) {
        this.defaultFormat = defaultFormat;
    }

    public String defaultFormat() {
        return defaultFormat;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase();
    }
}
