package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.Browser;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.springframework.test.context.TestPropertySource;

/**
 * The page an action link opens, in headless Chromium on a phone's screen (390 px): the group, a name
 * and a comment, the button; then what was done. It fits the screen without scrolling sideways.
 */
@TestPropertySource(properties = {
        // the same as ActionLinksTest's: one Spring context for both
        "relay.external-url=https://relay.example/",
        "relay.dedup.duplicate-window=1s",
})
class ActionPageBrowserTest extends RelayIntegrationTest {

    private static final Pattern LINK = Pattern.compile("https://relay\\.example(/ui/a/[A-Za-z0-9_-]+)");

    private Browser browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aPersonAcknowledgesFromAPhone() throws Exception {
        post("/api/v2/alerts", "[{\"labels\": {\"alertname\": \"PhoneAck\", \"source\": \"amtool\", \"instance\": \"10.0.0.7:9100\","
                + " \"severity\": \"critical\"}, \"annotations\": {\"summary\": \"10.0.0.7:9100 宕机 <b>not bold</b>\"}}]");
        Matcher links = LINK.matcher(WECOM.awaitAccepted(1, Duration.ofSeconds(15)).get(0).bodyText());
        String ack = null;
        while (links.find()) {
            ack = links.group(1);   // the last link: acknowledge
        }
        assertThat(ack).isNotNull();

        browser = Browser.start(390, 844);
        WebDriver page = browser.driver();
        page.get(url(ack));
        assertThat(page.findElement(By.tagName("h1")).getText()).isEqualTo("认领");
        assertThat(page.findElement(By.cssSelector("ul.alerts")).getText()).contains("PhoneAck").contains("10.0.0.7:9100")
                .contains("宕机 <b>not bold</b>");
        Number width = (Number) browser.driver().executeScript("return document.documentElement.scrollWidth");
        assertThat(width.intValue()).as("no sideways scrolling on a phone").isLessThanOrEqualTo(390);
        browser.screenshot("action-page");

        page.findElement(By.name("name")).sendKeys("张三");
        page.findElement(By.name("comment")).sendKeys("正在处理");
        browser.clickAndLoad(page.findElement(By.id("act")));
        assertThat(page.findElement(By.id("done")).getText()).contains("已认领");
        browser.screenshot("action-done");
        assertThat(WECOM.awaitAccepted(2, Duration.ofSeconds(15)).get(1).bodyText()).contains("已由 张三 认领").contains("正在处理");
    }
}
