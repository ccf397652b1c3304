package dev.vitals.api.http;

import java.util.Locale;

/**
 * A status badge as README files and wikis show them ({@code label | value}, the value on a colour), drawn as SVG
 * without a font of its own: widths are estimated from the text, which suits the short words badges say.
 */
record Badge(String label, String value, Colour colour) {

    /** Badge colours, each with a text colour readable on it (contrast of at least 4.5:1). */
    enum Colour {
        GREEN("#1a7f37", "#fff"), AMBER("#f0b429", "#111"), RED("#c62828", "#fff"), GREY("#5f6368", "#fff");

        final String fill;
        final String text;

        Colour(String fill, String text) {
            this.fill = fill;
            this.text = text;
        }
    }

    private static final String LABEL_FILL = "#444d56";
    private static final int CHAR_WIDTH = 7;
    private static final int PADDING = 10;

    String svg() {
        int labelWidth = width(label);
        int valueWidth = width(value);
        int total = labelWidth + valueWidth;
        String title = escape(label + ": " + value);
        return String.format(Locale.ROOT, """
                <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s">\
                <title>%s</title>\
                <rect width="%d" height="20" rx="3" fill="%s"/>\
                <rect x="%d" width="%d" height="20" rx="3" fill="%s"/>\
                <rect x="%d" width="4" height="20" fill="%s"/>\
                <g font-family="Verdana,DejaVu Sans,Geneva,sans-serif" font-size="11" text-anchor="middle">\
                <text x="%d" y="14" fill="#fff">%s</text>\
                <text x="%d" y="14" fill="%s">%s</text>\
                </g></svg>
                """, total, title, title, labelWidth, LABEL_FILL, labelWidth, valueWidth, colour.fill, labelWidth,
                colour.fill, labelWidth / 2, escape(label), labelWidth + valueWidth / 2, colour.text, escape(value));
    }

    private static int width(String text) {
        return text.length() * CHAR_WIDTH + 2 * PADDING;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
