package io.alertrelay.notify.telegram;

import io.alertrelay.config.Secret;

/**
 * The keys of a telegram receiver besides the common ones ({@code receivers[].bot_token} ...).
 *
 * @param botToken        the bot's token from BotFather ({@code 123456:ABC-...}); it goes in the request's
 *                        path, so neither it nor the URL is ever shown
 * @param chatId          the chat: an integer id (negative for groups, {@code -100...} for supergroups and
 *                        channels) or a public channel's {@code @username}
 * @param messageThreadId the topic of a forum supergroup, or null
 * @param apiUrl          the Bot API's address ({@value TelegramChannel#DEFAULT_API_URL} by default): a
 *                        local Bot API server, a proxy, a test
 */
public record TelegramSettings(Secret botToken, String chatId, Long messageThreadId, String apiUrl) {

    public TelegramSettings {
        botToken = botToken == null ? new Secret(null) : botToken;
    }

    /** The API address without a trailing slash. */
    public String api() {
        String api = apiUrl == null || apiUrl.isBlank() ? TelegramChannel.DEFAULT_API_URL : apiUrl.strip();
        return api.replaceAll("/+$", "");
    }

    /** Names the chat, never the token. */
    @Override
    public String toString() {
        return "TelegramSettings[botToken=" + botToken + ", chatId=" + chatId + ", messageThreadId=" + messageThreadId
                + ", apiUrl=" + apiUrl + "]";
    }
}
