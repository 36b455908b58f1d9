package io.alertrelay.console;

import java.security.Principal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page's layout needs: who is logged in (the navigation's log-out button names them). */
@ControllerAdvice(basePackageClasses = ConsolePages.class)
class ConsolePages {

    @ModelAttribute
    void user(Principal principal, Model model) {
        model.addAttribute("user", principal == null ? "" : principal.getName());
    }
}
