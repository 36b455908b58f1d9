package io.alertrelay.console;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
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

/** Dead letters: the list (by receiver), one in detail, and replay or discard of one or many. */
@Controller
class DeadLetterPages {

    /** The most a page lists; the total says how many there are. */
    static final int PAGE = 200;

    private final DeadLetters deadLetters;
    private final Router router;
    private final MessageSource messages;

    DeadLetterPages(DeadLetters deadLetters, Router router, MessageSource messages) {
        this.deadLetters = deadLetters;
        this.router = router;
        this.messages = messages;
    }

    @GetMapping("/ui/dead-letters")
    String list(@RequestParam(required = false) String receiver, Model model) {
        List<DeadLetters.DeadLetter> letters = deadLetters.list(receiver == null || receiver.isEmpty() ? null : receiver, PAGE);
        model.addAttribute("letters", letters);
        model.addAttribute("total", deadLetters.count());
        model.addAttribute("receiver", receiver);
        model.addAttribute("receivers", router.config().receivers().stream().map(ReceiverConfig::name).toList());
        return "dead-letters";
    }

    @GetMapping("/ui/dead-letters/{id}")
    String detail(@PathVariable long id, Model model) {
        DeadLetters.DeadLetter letter = deadLetters.get(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no dead letter " + id));
        model.addAttribute("d", letter);
        return "dead-letter";
    }

    @PostMapping("/ui/dead-letters/replay")
    String replay(@RequestParam(name = "ids", required = false) List<Long> ids, RedirectAttributes redirect) {
        long done = ids == null ? 0 : ids.stream().filter(id -> deadLetters.replay(id).isPresent()).count();
        redirect.addFlashAttribute("done", message("deadLetters.replayed", done));
        return "redirect:/ui/dead-letters";
    }

    @PostMapping("/ui/dead-letters/discard")
    String discard(@RequestParam(name = "ids", required = false) List<Long> ids, RedirectAttributes redirect) {
        long done = ids == null ? 0 : ids.stream().filter(deadLetters::discard).count();
        redirect.addFlashAttribute("done", message("deadLetters.discarded", done));
        return "redirect:/ui/dead-letters";
    }

    private String message(String key, long count) {
        return messages.getMessage(key, new Object[] {count}, LocaleContextHolder.getLocale());
    }
}
