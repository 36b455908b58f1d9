package io.alertrelay.notify.preview;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What a preview's HTML may hold, checked on the parsed document (as a browser would read it): only
 * formatting elements, only the attributes class, href, target, rel, colspan, rowspan and align; an
 * href only http(s), opening in a new tab without an opener; classes only the previews' own.
 */
final class SafeHtml {

    static final Set<String> TAGS = Set.of("div", "span", "p", "a", "br", "hr", "pre", "code", "b", "strong", "i", "em",
            "u", "s", "del", "ins", "strike", "sub", "sup", "small", "big", "mark", "kbd", "samp", "tt", "q", "cite", "abbr",
            "center", "address", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
            "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td");
    static final Set<String> ATTRIBUTES = Set.of("class", "href", "target", "rel", "colspan", "rowspan", "align");

    private SafeHtml() {
    }

    /** The checks, and the parsed fragment for the caller's own. */
    static Document assertSafe(String html) {
        assertThat(html).as("raw HTML")
                .doesNotContainPattern("(?i)<script")
                .doesNotContainPattern("(?i)<[a-z][^>]*\\son[a-z]+\\s*=")
                .doesNotContainPattern("(?i)<[a-z][^>]*\\sstyle\\s*=")
                .doesNotContainPattern("(?i)href\\s*=\\s*[\"']?\\s*(javascript|data|vbscript):");
        Document doc = Jsoup.parseBodyFragment(html);
        for (Element e : doc.body().getAllElements()) {
            if (e == doc.body()) {
                continue;
            }
            assertThat(TAGS).as("element <%s> in %s", e.tagName(), html).contains(e.tagName());
            for (Attribute a : e.attributes()) {
                String name = a.getKey();
                assertThat(ATTRIBUTES).as("attribute %s of <%s>", name, e.tagName()).contains(name);
                switch (name) {
                    case "href" -> {
                        assertThat(e.tagName()).isEqualTo("a");
                        assertThat(a.getValue()).as("href").matches("(?i)https?://\\S+");
                        assertThat(e.attr("target")).isEqualTo("_blank");
                        assertThat(e.attr("rel").split(" ")).contains("noopener", "noreferrer");
                    }
                    case "class" -> {
                        for (String c : a.getValue().split("\\s+")) {
                            assertThat(c).as("class of <%s>", e.tagName()).matches("chat-[a-z0-9-]+|language-\\S+");
                        }
                    }
                    case "align" -> assertThat(a.getValue()).isIn("left", "center", "right");
                    case "colspan", "rowspan" -> assertThat(a.getValue()).matches("[0-9]{1,3}");
                    case "target" -> assertThat(a.getValue()).isEqualTo("_blank");
                    default -> { }
                }
            }
        }
        return doc;
    }
}
