package io.alertrelay.console;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.routing.Router;
import io.alertrelay.store.History;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/** The delivery history: what was sent (or failed), when, to whom, searchable; one message as the chat shows it. */
@Controller
class HistoryPages {

    static final int PAGE = 100;

    private final History history;
    private final Router router;
    private final ConsoleFormat format;

    HistoryPages(History history, Router router, ConsoleFormat format) {
        this.history = history;
        this.router = router;
        this.format = format;
    }

    /** Filters as the form sends them: times are the browser's datetime-local, read in relay.time-zone. */
    @GetMapping("/ui/history")
    String search(@RequestParam(required = false) String receiver, @RequestParam(required = false) String status,
                  @RequestParam(required = false) String label, @RequestParam(required = false) String from,
                  @RequestParam(required = false) String to, Model model) {
        String problem = null;
        Long since = null;
        Long until = null;
        try {
            since = time(from);
            until = time(to);
        } catch (DateTimeParseException e) {
            problem = "time";
        }
        if (label != null && label.length() > History.MAX_FILTER) {
            problem = "label";
        }
        if (status != null && !status.isEmpty() && !History.isStatus(status)) {
            problem = "status";
        }
        model.addAttribute("entries", problem != null ? java.util.List.of()
                : history.search(new History.HistoryQuery(blank(receiver), blank(status), blank(label), since, until, PAGE)));
        model.addAttribute("problem", problem);
        model.addAttribute("total", history.count());
        model.addAttribute("receiver", receiver);
        model.addAttribute("status", status);
        model.addAttribute("label", label);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("receivers", router.config().receivers().stream().map(ReceiverConfig::name).toList());
        return "history";
    }

    @GetMapping("/ui/history/{id}")
    String entry(@PathVariable long id, Model model) {
        History.HistoryEntry entry = history.get(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no message " + id));
        model.addAttribute("e", entry);
        return "history-entry";
    }

    private Long time(String local) {
        if (local == null || local.isBlank()) {
            return null;
        }
        return LocalDateTime.parse(local).atZone(format.zone()).toInstant().toEpochMilli();
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
