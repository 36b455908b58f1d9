package io.alertrelay.console;

import io.alertrelay.action.ActionLinks;
import io.alertrelay.action.Actions;
import io.alertrelay.action.AlertmanagerSilences;
import io.alertrelay.alert.Alert;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The page a silence or acknowledge link in a message opens ({@code /ui/a/{token}}, no login: the
 * signed link is the permission, for one action on one group): it shows the group and asks for a
 * name and a comment, then acts once. The form carries Spring Security's CSRF token, so another site
 * cannot make a visitor's browser act.
 */
@Controller
class ActionPage {

    /** One alert of the group, as the page lists it. */
    public record Shown(String name, String status, boolean firing, String severity, String instance, String summary) {
        static Shown of(Alert alert) {
            return new Shown(alert.label("alertname"), alert.status(), alert.isFiring(), alert.label("severity"),
                    alert.label("instance"), alert.annotation("summary"));
        }
    }

    private final Actions actions;
    private final ConsoleFormat format;

    ActionPage(Actions actions, ConsoleFormat format) {
        this.actions = actions;
        this.format = format;
    }

    @GetMapping(ActionLinks.PATH + "{token}")
    String show(@PathVariable String token, Model model, HttpServletResponse response) {
        return form(token, model, response);
    }

    @PostMapping(ActionLinks.PATH + "{token}")
    String act(@PathVariable String token, @RequestParam(defaultValue = "") String name,
               @RequestParam(defaultValue = "") String comment, Model model, HttpServletResponse response) {
        try {
            Actions.Done done = actions.act(token, name, comment);
            model.addAttribute("done", done);
            model.addAttribute("action", done.action());
            model.addAttribute("until", done.until() == null ? "" : format.time(done.until()));
            return "action";
        } catch (Actions.RefusedException e) {
            model.addAttribute("refused", e.reason().name());
            return again(token, name, comment, model, response,
                    e.reason() == Actions.Refusal.USED ? HttpServletResponse.SC_CONFLICT : HttpServletResponse.SC_BAD_REQUEST);
        } catch (AlertmanagerSilences.SilenceFailedException e) {
            // the Alertmanager's trouble, not the request's: a 502, the form kept to try again
            model.addAttribute("failed", e.getMessage());
            return again(token, name, comment, model, response, HttpServletResponse.SC_BAD_GATEWAY);
        } catch (ActionLinks.InvalidLinkException e) {
            return form(token, model, response);
        }
    }

    private String again(String token, String name, String comment, Model model, HttpServletResponse response, int status) {
        model.addAttribute("name", name);
        model.addAttribute("comment", comment);
        response.setStatus(status);
        return form(token, model, response);
    }

    private String form(String token, Model model, HttpServletResponse response) {
        model.addAttribute("token", token);
        try {
            Actions.Target target = actions.target(token);
            model.addAttribute("target", target);
            model.addAttribute("action", target.link().action());
            model.addAttribute("alerts", target.group().group().alerts().stream().map(Shown::of).toList());
            model.addAttribute("labels", Actions.matchedBy(target.group().group()));
            model.addAttribute("expires", format.time(target.link().expiresAt()));
            target.used().ifPresent(use -> model.addAttribute("usedAt", format.time(use.at())));
        } catch (ActionLinks.InvalidLinkException e) {
            response.setStatus(e.expired() ? HttpServletResponse.SC_GONE : HttpServletResponse.SC_FORBIDDEN);
            model.addAttribute("invalid", e.expired() ? "expired" : "forged");
            model.addAttribute("alerts", List.of());
        } catch (Actions.RefusedException e) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            model.addAttribute("invalid", "unknown");
            model.addAttribute("alerts", List.of());
        }
        return "action";
    }
}
