package io.alertrelay.console;

import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ConfigException;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.delivery.TestSend;
import io.alertrelay.ingest.AlertmanagerWebhookParser;
import io.alertrelay.ingest.RequestRejectedException;
import io.alertrelay.notify.Channels;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.routing.Router;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TemplateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The template playground: a receiver, an Alertmanager payload (a sample or pasted) and its body
 * template's text, edited here (its file stays as it is), rendered live as the relay would send it,
 * with its size against the platform's limit; and a test send of that message through the real send
 * route, within the robot's rate budget.
 */
@Controller
class PlaygroundPage {

    /** What the editor and the payload may hold: beyond, a 400 page, not a render. */
    static final int MAX_TEXT = 256 * 1024;

    /** One rendering: the message (or what went wrong), its size, and the test send's outcome if one was asked. */
    public record Rendering(String receiver, OutgoingMessage message, int bytes, boolean fits, String error,
                            TestSend.Result sent) {
    }

    private final Router router;
    private final NotificationRenderer renderer;
    private final AlertmanagerWebhookParser parser;
    private final Channels channels;
    private final TestSend testSend;
    private final RecentGroups recent;
    private final Map<String, String> samples;

    PlaygroundPage(Router router, NotificationRenderer renderer, AlertmanagerWebhookParser parser, Channels channels,
                   TestSend testSend, RecentGroups recent) {
        this.router = router;
        this.renderer = renderer;
        this.parser = parser;
        this.channels = channels;
        this.testSend = testSend;
        this.recent = recent;
        this.samples = samples();
    }

    /**
     * @param sample a built-in sample's name, or {@code recent-N}: the N-th most recent group routed here
     */
    @GetMapping("/ui/playground")
    String page(@RequestParam(required = false) String receiver, @RequestParam(required = false) String sample, Model model) {
        ReceiverConfig chosen = receiver(receiver == null ? router.config().defaultReceiver() : receiver);
        List<RecentGroups.Recent> recentGroups = recent.list();
        String sampleName = sample != null && samples.containsKey(sample) ? sample : samples.keySet().iterator().next();
        String payload = samples.get(sampleName);
        if (sample != null && sample.matches("recent-\\d{1,2}") && Integer.parseInt(sample.substring(7)) < recentGroups.size()) {
            sampleName = sample;
            payload = recentGroups.get(Integer.parseInt(sample.substring(7))).payload();
        }
        model.addAttribute("recent", recentGroups);
        String draft = renderer.bodyTemplateSource(chosen);
        model.addAttribute("receivers", router.config().receivers().stream().map(ReceiverConfig::name).toList());
        model.addAttribute("receiver", chosen.name());
        model.addAttribute("templateName", renderer.bodyTemplateName(chosen));
        model.addAttribute("samples", samples.keySet());
        model.addAttribute("sample", sampleName);
        model.addAttribute("payload", payload);
        model.addAttribute("draft", draft);
        model.addAttribute("r", render(chosen, payload, draft, false));
        return "playground";
    }

    /** htmx: the rendering of what the form holds now. */
    @PostMapping("/ui/playground/render")
    String render(@RequestParam String receiver, @RequestParam String payload, @RequestParam String template, Model model) {
        model.addAttribute("r", render(receiver(receiver), bounded(payload), bounded(template), false));
        return "playground :: result";
    }

    /** htmx: the same, then sent through the real send route. */
    @PostMapping("/ui/playground/send")
    String send(@RequestParam String receiver, @RequestParam String payload, @RequestParam String template, Model model) {
        model.addAttribute("r", render(receiver(receiver), bounded(payload), bounded(template), true));
        return "playground :: result";
    }

    private Rendering render(ReceiverConfig receiver, String payload, String draft, boolean send) {
        AlertGroup group;
        try {
            group = parser.parse(payload.getBytes(StandardCharsets.UTF_8), null);
        } catch (RequestRejectedException e) {
            return new Rendering(receiver.name(), null, 0, false, "payload: " + e.getMessage(), null);
        }
        OutgoingMessage message;
        try {
            message = renderer.renderDraft(new Notification(receiver, group).forDelivery(), draft);
        } catch (ConfigException | TemplateException e) {
            return new Rendering(receiver.name(), null, 0, false, e.getMessage(), null);
        }
        int bytes = message.body().getBytes(StandardCharsets.UTF_8).length;
        boolean fits = channels.sizeLimit(receiver).fits(message);
        TestSend.Result sent = send ? testSend.send(receiver, message) : null;
        return new Rendering(receiver.name(), message, bytes, fits, null, sent);
    }

    private ReceiverConfig receiver(String name) {
        return router.receiver(name).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no receiver " + name));
    }

    private static String bounded(String text) {
        if (text.length() > MAX_TEXT) {
            throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE, "at most " + MAX_TEXT + " characters");
        }
        return text;
    }

    /** The payloads under console/samples/ (seed 001's host-down alert and its resolution, a group of three), by file name. */
    private static Map<String, String> samples() {
        try {
            Resource[] found = new PathMatchingResourcePatternResolver(PlaygroundPage.class.getClassLoader())
                    .getResources("classpath*:console/samples/*.json");
            Map<String, String> byName = new TreeMap<>();
            for (Resource r : Arrays.asList(found)) {
                byName.put(r.getFilename().replaceFirst("\\.json$", ""), r.getContentAsString(StandardCharsets.UTF_8));
            }
            return byName;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
