package io.alertrelay.console;

import io.alertrelay.action.Actions;
import io.alertrelay.action.NotifiedGroups;
import io.alertrelay.config.AlertmanagerDuration;
import io.alertrelay.routing.Matcher;
import io.alertrelay.silence.Silence;
import io.alertrelay.silence.SilenceMatcher;
import io.alertrelay.silence.SilenceNotFoundException;
import io.alertrelay.silence.Silences;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The relay's silences: active, pending and expired ones; a new one (matchers one per line, a
 * duration, a comment; made by the logged-in user) and expiring one; and the groups acknowledged from
 * a message (whose repeats are muted until they change). The same store and rules as
 * amtool's {@code /api/v2/silences}.
 */
@Controller
class SilencePages {

    /** Characters of the matchers' text; past it the form is refused. */
    static final int MAX_INPUT = 8192;

    /** Acknowledged groups listed at most. */
    static final int ACKNOWLEDGED_SHOWN = 100;

    /** An acknowledged group as the page lists it: where, which alerts, by whom, when, why. */
    public record Acknowledged(String receiver, String title, int firing, String by, Instant at, String comment) {
        static Acknowledged of(NotifiedGroups.NotifiedGroup group) {
            var labels = Actions.matchedBy(group.group());
            String title = labels.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                    .collect(java.util.stream.Collectors.joining(" "));
            return new Acknowledged(group.receiver(), title, (int) group.group().alerts().stream()
                    .filter(io.alertrelay.alert.Alert::isFiring).count(), group.ack().by(), group.ack().at(), group.ack().comment());
        }
    }

    private final Silences silences;
    private final NotifiedGroups notified;
    private final Clock clock;
    private final MessageSource messages;

    SilencePages(Silences silences, NotifiedGroups notified, Clock clock, MessageSource messages) {
        this.silences = silences;
        this.notified = notified;
        this.clock = clock;
        this.messages = messages;
    }

    @GetMapping("/ui/silences")
    String list(Model model) {
        Instant now = clock.instant();
        List<Silence> all = silences.list();
        model.addAttribute("active", all.stream().filter(s -> s.state(now) == Silence.State.ACTIVE).toList());
        model.addAttribute("pending", all.stream().filter(s -> s.state(now) == Silence.State.PENDING).toList());
        model.addAttribute("expired", all.stream().filter(s -> s.state(now) == Silence.State.EXPIRED).toList());
        model.addAttribute("acknowledged", notified.acknowledged(ACKNOWLEDGED_SHOWN).stream().map(Acknowledged::of).toList());
        return "silences";
    }

    @PostMapping("/ui/silences")
    String create(@RequestParam(defaultValue = "") String matchers, @RequestParam(defaultValue = "") String duration,
                  @RequestParam(defaultValue = "") String comment, Principal principal, RedirectAttributes redirect) {
        try {
            List<SilenceMatcher> parsed = parse(matchers);
            Duration length = AlertmanagerDuration.parse(duration.strip());
            Instant now = clock.instant();
            String id = silences.create(parsed, now, now.plus(length), principal.getName(), comment);
            redirect.addFlashAttribute("done", messages.getMessage("silences.created", new Object[] {id},
                    LocaleContextHolder.getLocale()));
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            // the form comes back as typed, with what is wrong (the store's and Alertmanager's words)
            redirect.addFlashAttribute("problem", e.getMessage());
            redirect.addFlashAttribute("matchers", matchers);
            redirect.addFlashAttribute("duration", duration);
            redirect.addFlashAttribute("comment", comment);
        }
        return "redirect:/ui/silences";
    }

    @PostMapping("/ui/silences/{id}/expire")
    String expire(@PathVariable String id, RedirectAttributes redirect) {
        try {
            silences.expire(id);
        } catch (SilenceNotFoundException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
        }
        redirect.addFlashAttribute("done", messages.getMessage("silences.expired.done", new Object[] {id},
                LocaleContextHolder.getLocale()));
        return "redirect:/ui/silences";
    }

    /** One matcher a line, as routing writes them ({@code name="v"}, {@code name=~"re"}, {@code !=}, {@code !~}). */
    static List<SilenceMatcher> parse(String text) {
        if (text.length() > MAX_INPUT) {
            throw new IllegalArgumentException("the matchers are longer than " + MAX_INPUT + " characters");
        }
        List<SilenceMatcher> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                out.add(SilenceMatcher.of(Matcher.parse(line)));
            }
        }
        return out;
    }
}
