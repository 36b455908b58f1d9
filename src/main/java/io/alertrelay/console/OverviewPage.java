package io.alertrelay.console;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code GET /ui/}: the overview; {@code /ui/overview/live} its live part alone, fetched again by htmx. */
@Controller
class OverviewPage {

    private final OverviewReport report;

    OverviewPage(OverviewReport report) {
        this.report = report;
    }

    @GetMapping({"/ui", "/ui/"})
    String overview(Model model) {
        model.addAttribute("overview", report.read());
        return "overview";
    }

    @GetMapping("/ui/overview/live")
    String live(Model model) {
        model.addAttribute("overview", report.read());
        return "overview :: live";
    }
}
