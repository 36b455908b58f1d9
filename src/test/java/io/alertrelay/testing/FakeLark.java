package io.alertrelay.testing;

/**
 * Fake Lark (international Feishu) custom bot: {@code POST /open-apis/bot/v2/hook/TOKEN}.
 *
 * <p>The same fake as {@link FakeFeishu} under Lark's name: Lark's custom bot uses Feishu's path and body
 * ({@code msg_type} text/post/image/share_chat/interactive), the same signing (key = timestamp + "\n" + secret,
 * HMAC-SHA256 of empty bytes, Base64, {@code timestamp} in seconds and {@code sign} in the JSON body), the same
 * answers ({@code {"code":0,"msg":"success"}}, non-zero {@code code} = failure) and the same limits (100 per
 * minute, 5 per second); contract: {@code /work/shared/reference/more-channels.md}. Rules, in the order they are
 * checked, as in {@link FakeFeishu}:
 * <ol>
 *   <li>token wrong: HTTP 200, 19001.</li>
 *   <li>Content-Type not {@code application/json}: HTTP 400, 9499.</li>
 *   <li>body over 20 KB: HTTP 200, 19036.</li>
 *   <li>body not a JSON object: HTTP 400, 9499.</li>
 *   <li>with a secret: bad or missing {@code timestamp}/{@code sign}, or timestamp over 1 h off: HTTP 200, 19021.</li>
 *   <li>rate: 5 per sliding second, 100 per sliding minute: HTTP 200, 11232.</li>
 *   <li>unknown {@code msg_type} or its payload missing: HTTP 400, 9499.</li>
 *   <li>keyword mode: no keyword: HTTP 200, 19024.</li>
 * </ol>
 * Lark's own error codes are unconfirmed (the reference found no primary source): the fake answers Feishu's.
 * Only the host differs in production ({@code open.larksuite.com} instead of {@code open.feishu.cn}); the fake,
 * like every fake, listens on 127.0.0.1.
 */
public final class FakeLark extends FakeFeishu {

    private FakeLark(String token, String secret) {
        super("FakeLark", token, secret);
    }

    /** Starts a bot with this hook token and, if {@code secretOrNull} is set, signature verification. */
    public static FakeLark start(String token, String secretOrNull) {
        FakeLark fake = new FakeLark(token, secretOrNull);
        fake.bind();
        return fake;
    }

    /** Starts a bot without signing. */
    public static FakeLark start(String token) {
        return start(token, null);
    }

    /** Keyword security mode: a message must contain at least one of these (at most 10) or gets 19024. */
    @Override
    public FakeLark requireKeyword(String... keywords) {
        super.requireKeyword(keywords);
        return this;
    }
}
