package io.alertrelay.console;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.config.Secret;
import io.alertrelay.routing.Router;
import io.alertrelay.routing.RoutingTable;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The route tester: a label set in, which rules match (each matcher's verdict) and which receivers
 * get it; beside it the effective routing tree and the receivers, addresses shown by host only.
 */
@Controller
class RouteTesterPage {

    /** {@code name="value"}, {@code name=value}, one per line or comma-separated, optionally in braces. */
    private static final Pattern PAIR = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^\",\\n}]*)\\s*");
    private static final int MAX_INPUT = 8192;

    /** A receiver as the page shows it: where it sends, never with what credentials. */
    public record ShownReceiver(String name, String type, String format, String template, String address) {
    }

    private final Router router;

    RouteTesterPage(Router router) {
        this.router = router;
    }

    @GetMapping("/ui/routes")
    String test(@RequestParam(required = false) String labels, Model model) {
        RelayConfig config = router.config();
        model.addAttribute("labels", labels == null ? "" : labels);
        model.addAttribute("route", config.route());
        model.addAttribute("defaultReceiver", config.defaultReceiver());
        model.addAttribute("receivers", config.receivers().stream().map(RouteTesterPage::shown).toList());
        if (labels != null && !labels.isBlank()) {
            Map<String, String> parsed = labels.length() > MAX_INPUT ? null : parse(labels);
            if (parsed == null) {
                model.addAttribute("problem", true);
            } else {
                RoutingTable table = router.table();
                model.addAttribute("parsed", parsed);
                model.addAttribute("traces", table.explain(parsed));
                model.addAttribute("result", table.routesFor(parsed));
            }
        }
        return "routes";
    }

    /** The label set typed, or null when a part of it is not a {@code name=value} pair. */
    static Map<String, String> parse(String text) {
        String body = text.strip();
        if (body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String part : splitPairs(body)) {
            if (part.isBlank()) {
                continue;
            }
            Matcher m = PAIR.matcher(part);
            if (!m.matches()) {
                return null;
            }
            labels.put(m.group(1), m.group(3) != null ? m.group(3).replace("\\\"", "\"").replace("\\\\", "\\") : m.group(2).strip());
        }
        return labels;
    }

    /** Splits on commas and line breaks outside quotes. */
    private static List<String> splitPairs(String body) {
        List<String> parts = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && quoted && i + 1 < body.length()) {
                current.append(c).append(body.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (!quoted && (c == ',' || c == '\n')) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    static ShownReceiver shown(ReceiverConfig receiver) {
        String address = receiver.smarthost() != null ? "smtp://" + receiver.smarthost().replaceAll("^.*@", "") : host(receiver.url());
        return new ShownReceiver(receiver.name(), receiver.type().id(), receiver.format(), receiver.template(), address);
    }

    /** scheme://host[:port]/… : the path and the query often hold the token. */
    static String host(Secret url) {
        if (url == null || url.isEmpty()) {
            return "";
        }
        try {
            URI uri = URI.create(url.reveal());
            if (uri.getHost() == null) {
                return Secret.MASK;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/…";
        } catch (IllegalArgumentException e) {
            return Secret.MASK;
        }
    }
}
