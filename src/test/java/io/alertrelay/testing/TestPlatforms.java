package io.alertrelay.testing;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The platforms the relay delivers to in integration tests, started once per test JVM and shared by
 * every Spring context: fake Feishu, DingTalk and WeCom robots (signature-checking, limit-enforcing)
 * and a real SMTP server (GreenMail).
 */
public final class TestPlatforms {

    public static final String FEISHU_SECRET = "feishu-test-secret";
    public static final String DINGTALK_SECRET = "SECdingtalk-test-secret";
    public static final String SMTP_USER = "relay";
    public static final String SMTP_PASSWORD = "smtp-test-password";

    public static final FakeFeishu FEISHU = FakeFeishu.start("feishu-token", FEISHU_SECRET);
    public static final FakeDingTalk DINGTALK = FakeDingTalk.start("dingtalk-token", DINGTALK_SECRET);
    public static final FakeDingTalk DINGTALK_OMS = FakeDingTalk.start("dingtalk-oms-token", DINGTALK_SECRET);
    public static final FakeWeCom WECOM = FakeWeCom.start("wecom-key");
    public static final GreenMail SMTP = startSmtp();

    private TestPlatforms() {
    }

    private static GreenMail startSmtp() {
        ServerSetup smtp = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        smtp.setServerStartupTimeout(30_000);           // 2 s by default: too short on a busy machine
        GreenMail mail = new GreenMail(smtp)
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(SMTP_USER, SMTP_PASSWORD));
        mail.start();
        return mail;
    }

    public static void resetAll() throws Exception {
        FEISHU.reset();
        DINGTALK.reset();
        DINGTALK_OMS.reset();
        WECOM.reset();
        SMTP.purgeEmailFromAllMailboxes();
    }
}
