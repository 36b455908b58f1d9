package io.alertrelay.console;

import io.alertrelay.store.Floods;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The flood gear's full list (issue 12): a receiver's storm and every group its summaries counted
 * without naming, newest first. A summary message links here ({@code relay.external-url}/ui/floods/{receiver});
 * {@code /ui/floods} lists the receivers in the flood gear now.
 */
@Controller
class FloodPages {

    private final Floods floods;

    FloodPages(Floods floods) {
        this.floods = floods;
    }

    @GetMapping("/ui/floods")
    String list(Model model) {
        model.addAttribute("storms", floods.receivers().stream().flatMap(name -> floods.state(name).stream()).toList());
        model.addAttribute("receiver", null);
        model.addAttribute("summarized", List.of());
        return "floods";
    }

    @GetMapping("/ui/floods/{receiver}")
    String receiver(@PathVariable String receiver, Model model) {
        model.addAttribute("storms", floods.state(receiver).stream().toList());
        model.addAttribute("receiver", receiver);
        model.addAttribute("summarized", floods.summarized(receiver, Floods.FULL_LIST));
        return "floods";
    }
}
