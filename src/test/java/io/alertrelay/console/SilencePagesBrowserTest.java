package io.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.Browser;
import io.alertrelay.testing.RelayProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The silences page in headless Chromium: a silence made by the logged-in user (shown active, and
 * the same silence amtool sees through /api/v2/silences), a bad one refused with the reason and the
 * form kept, then expired from its row.
 */
class SilencePagesBrowserTest {

    private static final String TOKEN = "console-silences-token";

    @TempDir
    Path work;

    private RelayProcess relay;
    private Browser browser;

    @RegisterExtension
    final TestExecutionExceptionHandler printRelayLog = (context, failure) -> {
        if (relay != null) {
            System.err.println(relay.logTail(80));
        }
        if (browser != null) {
            System.err.println("the page at the failure: " + browser.driver().getCurrentUrl() + "\n" + browser.driver().getPageSource());
        }
        throw failure;
    };

    @BeforeEach
    void start() throws Exception {
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: log
                    type: log
                route:
                  receiver: log
                """);
        relay = RelayProcess.start(work.resolve("relay.log"), Map.of(),
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + config, "--relay.admin.token=" + TOKEN),
                Duration.ofSeconds(90));
        browser = Browser.start(1280, 900);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aSilenceIsMadeByTheLoggedInUserRefusedWhenBadAndExpired() throws Exception {
        WebDriver page = browser.driver();
        page.get(relay.url("/ui/silences"));
        page.findElement(By.name("username")).sendKeys("admin");
        page.findElement(By.name("password")).sendKeys(TOKEN);
        browser.clickAndLoad(page.findElement(By.cssSelector("form button[type=submit]")));
        page.get(relay.url("/ui/silences?lang=en"));
        assertThat(page.findElement(By.id("silences-active")).getText()).contains("None.");

        // every matcher matching the empty string: refused with Alertmanager's reason, the form kept as typed
        page.findElement(By.name("matchers")).sendKeys("team=\"\"");
        page.findElement(By.name("comment")).sendKeys("bad one");
        browser.clickAndLoad(page.findElement(By.cssSelector("#silence-new button[type=submit]")));
        assertThat(page.findElement(By.id("silence-problem")).getText()).contains("must not match the empty string");
        assertThat(page.findElement(By.name("matchers")).getAttribute("value")).isEqualTo("team=\"\"");

        var matchers = page.findElement(By.name("matchers"));
        matchers.clear();
        matchers.sendKeys("alertname=\"DiskFull\"\ninstance=~\"db-.*\"");
        var duration = page.findElement(By.name("duration"));
        duration.clear();
        duration.sendKeys("90m");
        var comment = page.findElement(By.name("comment"));
        comment.clear();
        comment.sendKeys("resizing <b>the</b> volume");
        browser.clickAndLoad(page.findElement(By.cssSelector("#silence-new button[type=submit]")));
        String active = page.findElement(By.id("silences-active")).getText();
        assertThat(active).contains("alertname=\"DiskFull\"", "instance=~\"db-.*\"", "admin", "resizing <b>the</b> volume");
        assertThat(page.findElements(By.cssSelector("main b"))).as("the comment is text, not markup").isEmpty();

        HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(relay.url("/api/v2/silences")))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.body()).contains("\"createdBy\":\"admin\"").contains("\"state\":\"active\"").contains("DiskFull");

        page.get(relay.url("/ui/silences?lang=zh"));           // the README's screenshot, in the console's default language
        browser.screenshot("console-silences");
        page.get(relay.url("/ui/silences?lang=en"));
        browser.clickAndLoad(page.findElement(By.cssSelector("#silences-active button.danger")));
        assertThat(page.findElement(By.id("silences-active")).getText()).contains("None.");
        assertThat(page.findElement(By.id("silences-expired")).getText()).contains("alertname=\"DiskFull\"");
        assertThat(page.findElements(By.cssSelector("#silences-expired button"))).as("an expired silence cannot be expired").isEmpty();
    }
}
