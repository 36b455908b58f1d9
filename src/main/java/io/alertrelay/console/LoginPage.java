package io.alertrelay.console;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code GET /ui/login}: Spring Security's form login posts back to the same path. */
@Controller
class LoginPage {

    private final boolean closed;

    LoginPage(io.alertrelay.RelayProperties properties) {
        // nobody can log in (no admin token, no console users): the page says how to open it
        this.closed = properties.getAdmin().getToken().isEmpty() && properties.getConsole().getUsers().isEmpty();
    }

    @GetMapping(ConsoleBeans.LOGIN)
    String login(Model model) {
        model.addAttribute("closed", closed);
        return "login";
    }
}
