package io.alertrelay.notify.preview;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.CustomNode;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.HtmlWriter;

/**
 * The chats' markdown (DingTalk, WeCom, Feishu's lark_md, Discord, Teams' TextBlock) as HTML, by
 * commonmark-java with raw HTML escaped, never passed through. Three things are the previews' own:
 * a {@code <font color="...">…</font>} pair within one paragraph (WeCom, DingTalk, Feishu colour text
 * that way) becomes a {@code <span class="chat-font chat-font-red">} around what it encloses, matched
 * in the parsed tree so that no text can open or close it (an unmatched tag is shown as text); a link
 * is an anchor only to an http(s) URL; an image is not loaded, only linked. A line break in a
 * paragraph is a {@code <br>}, as the chats show it.
 */
public final class Markdown {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(), StrikethroughExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).postProcessor(Markdown::fonts).build();
    private static final HtmlRenderer BLOCKS = renderer(false);
    private static final HtmlRenderer INLINE = renderer(true);

    private static final Pattern FONT_OPEN = Pattern.compile(
            "(?i)<font\\s+color\\s*=\\s*(?:\"([^\"<>]*)\"|'([^'<>]*)'|([^\\s\"'<>=`]+))\\s*>");
    private static final Pattern FONT_CLOSE = Pattern.compile("(?i)</font\\s*>");
    /** Colour inside colour inside ...: past this depth a font tag is text (rendering nests as deep as the spans). */
    public static final int MAX_NESTED_FONTS = 8;

    private Markdown() {
    }

    /** Blocks: paragraphs, lists, quotes, headings, as HTML. */
    public static String html(String markdown) {
        return BLOCKS.render(PARSER.parse(markdown == null ? "" : markdown));
    }

    /** A short text (a fact's value, a field): one paragraph without its {@code <p>}. */
    public static String inline(String markdown) {
        return INLINE.render(PARSER.parse(markdown == null ? "" : markdown)).strip();
    }

    private static HtmlRenderer renderer(boolean inline) {
        return HtmlRenderer.builder()
                .extensions(EXTENSIONS)
                .escapeHtml(true)
                .sanitizeUrls(true)
                .softbreak("<br>\n")
                .omitSingleParagraphP(inline)
                .nodeRendererFactory(PreviewNodes::new)
                .build();
    }

    /** Colour text: a {@code <font color>} and the next {@code </font>} among the same node's children. */
    public static final class Font extends CustomNode {
        final Palette colour;

        Font(Palette colour) {
            this.colour = colour;
        }
    }

    private record Open(Node tag, Palette colour) {
    }

    private static Node fonts(Node node) {
        Deque<Open> opens = new ArrayDeque<>();
        List<Node> children = new ArrayList<>();
        for (Node c = node.getFirstChild(); c != null; c = c.getNext()) {
            children.add(c);
        }
        for (Node child : children) {
            if (!(child instanceof HtmlInline html)) {
                fonts(child);
                continue;
            }
            Matcher open = FONT_OPEN.matcher(html.getLiteral());
            if (open.matches() && opens.size() < MAX_NESTED_FONTS) {
                String colour = open.group(1) != null ? open.group(1) : open.group(2) != null ? open.group(2) : open.group(3);
                opens.push(new Open(child, Palette.of(colour)));
            } else if (FONT_CLOSE.matcher(html.getLiteral()).matches() && !opens.isEmpty()) {
                Open start = opens.pop();
                Font font = new Font(start.colour());
                for (Node n = start.tag().getNext(); n != child; ) {
                    Node next = n.getNext();
                    font.appendChild(n);
                    n = next;
                }
                start.tag().insertAfter(font);
                start.tag().unlink();
                child.unlink();
            }
        }
        return node;
    }

    /** Links, images and colour text, the previews' way; everything else is commonmark's (escaped). */
    private static final class PreviewNodes implements NodeRenderer {
        private final HtmlNodeRendererContext context;
        private final HtmlWriter out;

        PreviewNodes(HtmlNodeRendererContext context) {
            this.context = context;
            this.out = context.getWriter();
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Link.class, Image.class, Font.class);
        }

        @Override
        public void render(Node node) {
            if (node instanceof Font font) {
                out.tag("span", Map.of("class", font.colour == null ? "chat-font" : "chat-font " + font.colour.fontClass()));
                children(node);
                out.tag("/span");
            } else if (node instanceof Link link) {
                anchor(link.getDestination(), "chat-link", node, null);
            } else if (node instanceof Image image) {
                anchor(image.getDestination(), "chat-image", node, "\uD83D\uDDBC ");
            }
        }

        private void anchor(String destination, String cssClass, Node node, String prefix) {
            String url = Html.safeUrl(destination);
            if (url == null) {
                out.tag("span", Map.of("class", cssClass));
            } else {
                Map<String, String> attrs = new LinkedHashMap<>();
                attrs.put("class", cssClass);
                attrs.put("href", url);
                attrs.put("target", "_blank");
                attrs.put("rel", "noopener noreferrer");
                out.tag("a", attrs);
            }
            if (prefix != null) {
                out.text(prefix);
            }
            children(node);
            out.tag(url == null ? "/span" : "/a");
        }

        private void children(Node node) {
            for (Node c = node.getFirstChild(); c != null; ) {
                Node next = c.getNext();
                context.render(c);
                c = next;
            }
        }
    }
}
