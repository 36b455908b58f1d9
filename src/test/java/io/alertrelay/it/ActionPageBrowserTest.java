package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.ActionPageClient;
import io.alertrelay.testing.Browser;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.springframework.test.context.TestPropertySource;

/**
 * The page an action link opens, in headless Chromium on a phone's screen (390 px): the group, a name
 * and a comment, the button; then what was done. It fits the screen without scrolling sideways. The
 * console's silences page lists the acknowledged group.
 */
@TestPropertySource(properties = {
        // the same as ActionLinksTest's: one Spring context for both
        "relay.external-url=" + ActionPageClient.EXTERNAL_URL,
        // a database of its own: the contexts of other test classes stay alive, and their delivery loops
        // (rendering without relay.external-url) would take this context's messages from a shared one
        "spring.datasource.url=jdbc:h2:mem:relay-it-actions;DB_CLOSE_DELAY=-1",
        "relay.dedup.duplicate-window=1s",
})
class ActionPageBrowserTest extends RelayIntegrationTest {

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
        String ack = "/ui/a/" + ActionPageClient.links(WECOM.awaitAccepted(1, Duration.ofSeconds(15)).get(0)).get(3);

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

        // the console lists it with the silences
        page.get(url("/ui/login"));
        page.findElement(By.name("username")).sendKeys("admin");
        page.findElement(By.name("password")).sendKeys(ADMIN_TOKEN);
        browser.clickAndLoad(page.findElement(By.cssSelector("form button[type=submit]")));
        page.get(url("/ui/silences"));
        assertThat(page.findElement(By.cssSelector("#acknowledged tr.acknowledged")).getText())
                .contains("ops-wecom").contains("alertname=\"PhoneAck\"").contains("张三").contains("正在处理");
    }
}
