package io.alertrelay.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person following the action links of a message, as a browser does without the browser: the page
 * (its session cookie kept), then its form with the CSRF token the page carries. Links in messages
 * name https://relay.example (the tests' relay.external-url); the requests go to the relay under test.
 */
public final class ActionPageClient {

    /** The tests' relay.external-url. */
    public static final String EXTERNAL_URL = "https://relay.example/";

    private static final Pattern LINK = Pattern.compile("https://relay\\.example/ui/a/([A-Za-z0-9_-]+)");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private final Function<String, String> url;

    /** @param url the relay's URL of a path */
    public ActionPageClient(Function<String, String> url) {
        this.url = url;
    }

    /** The action links of a message, in button order: silence 1 h, 4 h, 24 h, acknowledge. */
    public static List<String> links(BotRequest message) {
        List<String> tokens = LINK.matcher(message.bodyText()).results().map(r -> r.group(1)).toList();
        assertThat(tokens).as("the message's action links: %s", message.bodyText()).hasSize(4);
        return tokens;
    }

    public HttpResponse<String> open(String token) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(URI.create(url.apply("/ui/a/" + token))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts the page's form (with its CSRF token when the page has one). */
    public HttpResponse<String> submit(String token, String page, String name, String comment)
            throws IOException, InterruptedException {
        Matcher csrf = CSRF.matcher(page);
        String form = (csrf.find() ? "_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8) + "&" : "")
                + "name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "&comment=" + URLEncoder.encode(comment, StandardCharsets.UTF_8);
        return browser.send(HttpRequest.newBuilder(URI.create(url.apply("/ui/a/" + token)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens the link's page (it must show) and submits its form. */
    public HttpResponse<String> act(String token, String name, String comment) throws IOException, InterruptedException {
        HttpResponse<String> page = open(token);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return submit(token, page.body(), name, comment);
    }
}
