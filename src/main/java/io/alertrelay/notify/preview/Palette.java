package io.alertrelay.notify.preview;

import java.util.Locale;
import java.util.Map;

/**
 * The colours a chat message names (Feishu's header templates, WeCom's {@code warning/info/comment},
 * DingTalk's {@code #FF0000}, Discord's embed colour as an integer, Teams' {@code Attention/Good}),
 * folded into seven names the console's stylesheet knows: red, orange, yellow, green, blue, purple,
 * grey. A colour is never copied into the page: only one of these names, as a CSS class, leaves here.
 */
public enum Palette {

    RED, ORANGE, YELLOW, GREEN, BLUE, PURPLE, GREY;

    private static final Map<String, Palette> NAMES = Map.ofEntries(
            // WeCom markdown's three colours
            Map.entry("warning", ORANGE), Map.entry("info", GREEN), Map.entry("comment", GREY),
            // Feishu card header templates
            Map.entry("blue", BLUE), Map.entry("wathet", BLUE), Map.entry("indigo", BLUE),
            Map.entry("turquoise", GREEN), Map.entry("green", GREEN), Map.entry("yellow", YELLOW),
            Map.entry("orange", ORANGE), Map.entry("red", RED), Map.entry("carmine", RED),
            Map.entry("violet", PURPLE), Map.entry("purple", PURPLE), Map.entry("grey", GREY), Map.entry("gray", GREY),
            // Adaptive Card colours
            Map.entry("attention", RED), Map.entry("good", GREEN), Map.entry("accent", BLUE));

    /** The palette colour of a name, {@code #rgb} or {@code #rrggbb}; null when it is none of those. */
    public static Palette of(String colour) {
        if (colour == null) {
            return null;
        }
        String c = colour.strip().toLowerCase(Locale.ROOT);
        Palette named = NAMES.get(c);
        if (named != null) {
            return named;
        }
        if (c.matches("#[0-9a-f]{6}")) {
            return ofRgb(Integer.parseInt(c.substring(1), 16));
        }
        if (c.matches("#[0-9a-f]{3}")) {
            int r = Character.digit(c.charAt(1), 16) * 17;
            int g = Character.digit(c.charAt(2), 16) * 17;
            int b = Character.digit(c.charAt(3), 16) * 17;
            return ofRgb((r << 16) | (g << 8) | b);
        }
        return null;
    }

    /** The nearest palette colour of a 24-bit RGB value (Discord's embed colour), by hue; unsaturated ones grey. */
    public static Palette ofRgb(int rgb) {
        double r = ((rgb >> 16) & 0xff) / 255.0;
        double g = ((rgb >> 8) & 0xff) / 255.0;
        double b = (rgb & 0xff) / 255.0;
        double max = Math.max(r, Math.max(g, b));
        double min = Math.min(r, Math.min(g, b));
        double delta = max - min;
        if (delta < 0.15 || max < 0.15) {
            return GREY;
        }
        double hue;
        if (max == r) {
            hue = 60 * (((g - b) / delta) % 6);
        } else if (max == g) {
            hue = 60 * (((b - r) / delta) + 2);
        } else {
            hue = 60 * (((r - g) / delta) + 4);
        }
        if (hue < 0) {
            hue += 360;
        }
        if (hue < 15 || hue >= 330) {
            return RED;
        }
        if (hue < 42) {
            return ORANGE;
        }
        if (hue < 70) {
            return YELLOW;
        }
        if (hue < 175) {
            return GREEN;
        }
        if (hue < 260) {
            return BLUE;
        }
        return PURPLE;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code chat-font-red}: coloured text. */
    public String fontClass() {
        return "chat-font-" + id();
    }

    /** {@code chat-accent-red}: a card's or embed's colour (its header or edge). */
    public String accentClass() {
        return "chat-accent-" + id();
    }
}
