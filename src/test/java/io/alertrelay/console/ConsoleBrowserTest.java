package io.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.Browser;
import io.alertrelay.testing.FakeBotServer.Fault;
import io.alertrelay.testing.FakeDingTalk;
import io.alertrelay.testing.RelayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The console in a real headless browser (Chromium) against a relay process and a strict fake
 * DingTalk robot: log in, watch a receiver fail and recover on the overview, see a dead letter with
 * the platform's answer, replay it and see the robot get it, and hostile label values shown as text.
 * Screenshots of each page go to target/screenshots/.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConsoleBrowserTest {

    private static final String TOKEN = "console-admin-token";
    private static final String SECRET = "SECconsole0123456789";
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Values an attacker controls through labels: none may become markup or a template expression. */
    static final String HOSTILE = "<script>window.pwned=1</script>\"'><img src=x onerror=window.pwned=2>{{ . }}$!{x}#set($y=1)";

    @TempDir
    Path work;

    private FakeDingTalk robot;
    private RelayProcess relay;
    private Browser browser;

    @RegisterExtension
    final TestExecutionExceptionHandler printRelayLog = (context, failure) -> {
        if (relay != null) {
            System.err.println(relay.logTail(80));
        }
        if (browser != null) {
            browser.screenshot("failed-" + context.getDisplayName().replaceAll("\\W", ""));
            System.err.println("the page at the failure: " + browser.driver().getCurrentUrl() + "\n" + browser.driver().getPageSource());
        }
        throw failure;
    };

    @BeforeEach
    void start() throws Exception {
        robot = FakeDingTalk.start("console-robot", SECRET);
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: ops-robot
                    type: dingtalk
                    url: ${ROBOT_URL}
                    secret: ${ROBOT_SECRET}
                  - name: db-log
                    type: log
                route:
                  receiver: ops-robot
                  routes:
                    - matchers: ['team=~"db.*"']
                      receivers: [db-log]
                      continue: true
                    - matchers: ['severity="critical"']
                      receiver: ops-robot
                """);
        relay = RelayProcess.start(work.resolve("relay.log"), Map.of("ROBOT_URL", robot.webhookUrl(), "ROBOT_SECRET", SECRET),
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + config, "--relay.group-window=200",
                        "--relay.delivery.retry-delay=1s", "--relay.delivery.max-retry-delay=2s", "--relay.admin.token=" + TOKEN),
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
        if (robot != null) {
            robot.close();
        }
    }

    @Test
    void loginOverviewFailureAndRecoveryDeadLetterReplay() throws Exception {
        WebDriver page = browser.driver();

        // a page of the console sends to the login; a wrong password is refused
        page.get(relay.url("/ui/"));
        assertThat(page.getCurrentUrl()).endsWith("/ui/login");
        browser.screenshot("console-login");
        logIn(page, "admin", "wrong");
        assertThat(page.findElement(By.cssSelector(".error")).getText()).contains("用户名或密码错误");
        logIn(page, "admin", TOKEN);
        assertThat(page.getCurrentUrl()).endsWith("/ui/");
        await("the receiver shown ok").atMost(WITHIN).ignoreException(StaleElementReferenceException.class)
                .untilAsserted(() -> assertThat(receiverRow(page).getText()).contains("ops-robot", "dingtalk", "正常"));

        // the robot answers 500 for a while: the overview (refreshed by htmx) shows the failure and its reason
        robot.failNext(1000, Fault.HTTP_500);
        relay.postAlertmanager(group("DiskFull", Map.of("severity", "critical")));
        await("the receiver shown failing").atMost(WITHIN).pollInterval(Duration.ofMillis(500))
                .ignoreException(StaleElementReferenceException.class).untilAsserted(() ->
                assertThat(receiverRow(page).getText()).contains("失败", "serverError"));
        browser.screenshot("console-overview-failing");

        // it recovers: the retry goes through and the overview says so, without a reload of the page
        robot.reset();
        robot.awaitAccepted(1, WITHIN);
        await("the receiver shown recovered").atMost(WITHIN).pollInterval(Duration.ofMillis(500))
                .ignoreException(StaleElementReferenceException.class).untilAsserted(() ->
                assertThat(receiverRow(page).getText()).contains("正常").doesNotContain("失败"));
        browser.fullPageScreenshot("console-overview");

        // a refused signature is permanent: a dead letter, listed with the platform's answer and the hostile value as text
        robot.failNext(1, Fault.SIGN_ERROR);
        relay.postAlertmanager(group("CertExpiry", Map.of("severity", "warning", "team", HOSTILE)));
        page.get(relay.url("/ui/dead-letters"));
        await("the dead letter listed").atMost(WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            page.navigate().refresh();
            assertThat(page.findElements(By.cssSelector("tr.dead-letter"))).hasSize(1);
        });
        WebElement letter = page.findElement(By.cssSelector("tr.dead-letter"));
        assertThat(letter.getText()).contains("ops-robot", "authError", "CertExpiry");
        browser.screenshot("console-dead-letters");

        // its detail: the message as it was to be sent, the hostile value as text, no script of its own ran
        browser.clickAndLoad(letter.findElement(By.cssSelector("a")));
        assertThat(page.findElement(By.tagName("main")).getText()).contains("authError", "CertExpiry", "window.pwned=1", "onerror=window.pwned=2");
        // the DingTalk markdown as the chat shows it: a heading in red, the list, no JSON around it
        WebElement chat = page.findElement(By.cssSelector(".message-preview .chat-md"));
        assertThat(chat.getText()).contains("[告警] CertExpiry", "告警级别：warning").doesNotContain("msgtype");
        assertThat(chat.findElements(By.cssSelector(".chat-font-red"))).isNotEmpty();
        assertNothingInjected(page);
        browser.fullPageScreenshot("console-dead-letter");

        // replay it: the robot (accepting again) gets it, and the list is empty
        int before = robot.accepted().size();
        browser.clickAndLoad(page.findElement(By.id("replay")));
        assertThat(page.findElement(By.cssSelector(".notice")).getText()).contains("已重新投递 1 条");
        await("the replayed message delivered").atMost(WITHIN).until(() -> robot.accepted().size() > before);
        assertThat(robot.accepted().get(robot.accepted().size() - 1).json().toString()).contains("CertExpiry");
        page.navigate().refresh();
        assertThat(page.findElements(By.cssSelector("tr.dead-letter"))).isEmpty();

        // many at once: two refused, both selected with "select all", both replayed and delivered
        robot.failNext(2, Fault.SIGN_ERROR);
        relay.postAlertmanager(group("QueueStuck", Map.of("severity", "warning")));
        relay.postAlertmanager(group("TlsHandshake", Map.of("severity", "warning")));
        await("two dead letters listed").atMost(WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            page.get(relay.url("/ui/dead-letters"));
            assertThat(page.findElements(By.cssSelector("tr.dead-letter"))).hasSize(2);
        });
        // (the two may have failed as one digest, leaving a fault unspent: the robot accepts again from here)
        robot.reset();
        int beforeMany = robot.accepted().size();
        page.findElement(By.cssSelector("input.select-all")).click();
        browser.clickAndLoad(page.findElement(By.cssSelector("#dead-letters button[type=submit]")));
        assertThat(page.findElement(By.cssSelector(".notice")).getText()).contains("已重新投递 2 条");
        // (one message or two: what waits for the robot's rate budget goes out together as a digest)
        await("both replayed groups delivered").atMost(WITHIN).untilAsserted(() ->
                assertThat(robot.accepted().subList(beforeMany, robot.accepted().size()).toString()).contains("QueueStuck", "TlsHandshake"));

        // the history: every attempt, searchable by a label; the hostile value shown as text, nothing injected
        page.get(relay.url("/ui/history"));
        assertThat(page.findElements(By.cssSelector("tr.history-entry.ok"))).as("delivered messages").hasSizeGreaterThanOrEqualTo(2);
        assertThat(page.findElements(By.cssSelector("tr.history-entry.failing"))).as("failed attempts").isNotEmpty();
        WebElement label = page.findElement(By.name("label"));
        label.sendKeys("severity=critical");
        browser.clickAndLoad(page.findElement(By.cssSelector("#history-search button")));
        List<WebElement> found = page.findElements(By.cssSelector("tr.history-entry"));
        assertThat(found).isNotEmpty().allSatisfy(row -> assertThat(row.getText()).contains("DiskFull").doesNotContain("CertExpiry"));
        page.get(relay.url("/ui/history?label=CertExpiry&status=delivered"));
        WebElement replayed = page.findElement(By.cssSelector("tr.history-entry"));
        assertThat(replayed.getText()).contains("team=\"<script>window.pwned=1</script>");
        assertNothingInjected(page);
        browser.fullPageScreenshot("console-history");
        browser.clickAndLoad(replayed.findElement(By.cssSelector("a")));
        assertThat(page.findElement(By.tagName("main")).getText()).contains("ops-robot", "CertExpiry");
        assertNothingInjected(page);
        browser.fullPageScreenshot("console-history-message");

        // English on request, kept by a cookie
        page.get(relay.url("/ui/?lang=en"));
        await("the overview in English").atMost(WITHIN).ignoreException(StaleElementReferenceException.class)
                .untilAsserted(() -> assertThat(receiverRow(page).getText()).contains("ok"));
        page.get(relay.url("/ui/dead-letters"));
        assertThat(page.findElement(By.tagName("h1")).getText()).isEqualTo("Dead letters");
    }

    @Test
    void thePlaygroundRendersAnEditedTemplateLiveAndSendsItAndTheRouteTesterExplainsARoute() throws Exception {
        WebDriver page = browser.driver();
        page.get(relay.url("/ui/login"));
        logIn(page, "admin", TOKEN);

        // a group the relay received lately is offered as a sample, as its webhook payload
        relay.postAlertmanager(group("RecentlyReceived", Map.of("severity", "critical")));
        robot.awaitAccepted(1, WITHIN);
        page.get(relay.url("/ui/playground?receiver=ops-robot&sample=recent-0"));
        assertThat(page.findElement(By.id("payload")).getAttribute("value")).contains("\"RecentlyReceived\"");
        assertThat(result(page)).contains("RecentlyReceived");

        // the receiver's template and a sample from the seeds, rendered as the relay would send it, within the limit
        page.get(relay.url("/ui/playground?receiver=ops-robot&sample=1-host-down-firing"));
        assertThat(result(page)).contains("主机存活状态警告", "在平台限制之内");
        assertThat(page.findElements(By.cssSelector("#result .chat-md li"))).as("the markdown's list, rendered").isNotEmpty();
        browser.fullPageScreenshot("console-playground");

        // an edit of the template shows in the preview without a click (htmx, on input)
        WebElement template = page.findElement(By.id("template"));
        edit(page, template, "arguments[0].value.replace('**【$a.statusText】', '**【PLAYGROUND $a.statusText】')");
        await("the edited template rendered").atMost(WITHIN).untilAsserted(() -> assertThat(result(page)).contains("PLAYGROUND"));

        // a broken template: its error with the line, nothing rendered
        String working = template.getAttribute("value");
        template.clear();
        template.sendKeys("{\n  #if($group.firing");
        await("the template's error shown").atMost(WITHIN).untilAsserted(() ->
                assertThat(page.findElements(By.id("render-error"))).singleElement()
                        .satisfies(error -> assertThat(error.getText()).contains("line 2")));
        browser.driver().executeScript("arguments[0].value = arguments[1]", template, working);

        // the test send: through the real send route, signed, and the robot gets the edited message
        int before = robot.accepted().size();
        page.findElement(By.id("send-test")).click();
        await("the test message delivered").atMost(WITHIN).untilAsserted(() ->
                assertThat(page.findElements(By.id("sent"))).singleElement()
                        .satisfies(sent -> assertThat(sent.getText()).contains("已送达")));
        assertThat(robot.accepted()).hasSize(before + 1);
        assertThat(robot.accepted().get(before).json().toString()).contains("PLAYGROUND");

        // the route tester: each rule's verdict and the receivers; addresses shown without their token
        page.get(relay.url("/ui/routes"));
        page.findElement(By.name("labels")).sendKeys("team=\"db-main\", severity=\"critical\"");
        browser.clickAndLoad(page.findElement(By.cssSelector("#route-test button")));
        assertThat(page.findElements(By.cssSelector(".route-receiver")).stream().map(WebElement::getText))
                .containsExactly("db-log", "ops-robot");
        assertThat(page.findElement(By.id("rule-1")).getAttribute("class")).contains("matched");
        assertThat(page.findElement(By.id("rule-2")).getAttribute("class")).contains("matched");
        browser.fullPageScreenshot("console-routes");
        assertThat(page.getPageSource()).doesNotContain("console-robot", SECRET);
        page.findElement(By.name("labels")).clear();
        page.findElement(By.name("labels")).sendKeys("severity=\"warning\"");
        browser.clickAndLoad(page.findElement(By.cssSelector("#route-test button")));
        assertThat(page.findElements(By.cssSelector(".route-receiver")).stream().map(WebElement::getText)).containsExactly("ops-robot");
        assertThat(page.findElement(By.id("route-default")).getText()).contains("ops-robot");
        assertThat(page.findElement(By.id("rule-2")).getAttribute("class")).contains("unmatched");
    }

    /** The playground's result as shown now ("" while htmx is swapping it: the caller's await looks again). */
    private static String result(WebDriver page) {
        try {
            return page.findElement(By.id("result")).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
            return "";
        }
    }

    /** Sets a text area to the value of a script expression over it and fires the input event a person's typing would. */
    private static void edit(WebDriver page, WebElement area, String expression) {
        ((org.openqa.selenium.JavascriptExecutor) page).executeScript("arguments[0].value = " + expression
                + "; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", area);
    }

    @Test
    void aPhoneSeesEveryReceiverStacked() throws Exception {
        browser.close();
        browser = Browser.start(390, 844);
        WebDriver page = browser.driver();
        page.get(relay.url("/ui/login"));
        logIn(page, "admin", TOKEN);
        WebElement row = receiverRow(page);
        // stacked: the table's head is hidden, each cell a line of its own under its label, nothing wider than the screen
        assertThat(page.findElement(By.cssSelector("table.receivers thead")).isDisplayed()).isFalse();
        assertThat(row.getText()).contains("ops-robot");
        assertThat(row.findElements(By.tagName("td"))).allSatisfy(cell -> assertThat(cell.getCssValue("display")).isEqualTo("block"));
        assertThat(browser.driver().executeScript("return getComputedStyle(arguments[0], '::before').content",
                row.findElement(By.tagName("td")))).isEqualTo("\"接收方: \"");
        Number width = (Number) browser.driver().executeScript("return document.documentElement.scrollWidth");
        assertThat(width.intValue()).as("page width on a 390 px screen").isLessThanOrEqualTo(390);
        browser.fullPageScreenshot("console-overview-phone");
    }

    /** The receiver's row as shown now (htmx replaces the overview's live part every 5 s: read it inside a retrying await). */
    private static WebElement receiverRow(WebDriver page) {
        return page.findElement(By.id("receiver-ops-robot"));
    }

    private void logIn(WebDriver page, String user, String password) {
        page.findElement(By.name("username")).sendKeys(user);
        page.findElement(By.name("password")).sendKeys(password);
        browser.clickAndLoad(page.findElement(By.cssSelector("form button[type=submit]")));
    }

    /** No script an alert value carried ran, no element it carried exists, no dialog opened. */
    static void assertNothingInjected(WebDriver page) {
        org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) page;
        assertThat(js.executeScript("return window.pwned === undefined")).as("window.pwned untouched").isEqualTo(true);
        assertThat(page.findElements(By.cssSelector("img[src=x], main script"))).as("elements from alert values").isEmpty();
        try {
            page.switchTo().alert();
            throw new AssertionError("a dialog opened");
        } catch (NoAlertPresentException expected) {
            // none
        }
    }

    private static String group(String name, Map<String, String> labels) throws Exception {
        Map<String, String> all = new java.util.TreeMap<>(labels);
        all.put("alertname", name);
        Map<String, Object> alert = Map.of("status", "firing", "labels", all,
                "annotations", Map.of("summary", name + " on " + labels.getOrDefault("team", "db-1")),
                "startsAt", "2026-11-28T06:00:00Z", "endsAt", "0001-01-01T00:00:00Z",
                "generatorURL", "http://prometheus:9090/graph");
        return JSON.writeValueAsString(Map.of("version", "4", "status", "firing", "receiver", "relay",
                "groupKey", "{}:{alertname=\"" + name + "\"}", "groupLabels", Map.of("alertname", name),
                "commonLabels", all, "commonAnnotations", Map.of(), "externalURL", "http://alertmanager:9093",
                "alerts", List.of(alert)));
    }
}
