package io.switchboard.knowledge;

import io.switchboard.refusal.InvalidInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * Turns an uploaded file into {@link ParsedDocument} sections: PDF through PDFBox (one section per page, PDFs carry
 * no reliable headings), DOCX through Apache POI (Heading styles become the path), HTML through jsoup (h1–h6),
 * Markdown by its {@code #} headings, plain text by paragraphs. A file that cannot be read throws
 * {@link UnreadableDocument} with a reason a person can act on.
 */
final class DocumentParser {

    /** Why a document could not be indexed, in words for the person who uploaded it. */
    static final class UnreadableDocument extends RuntimeException {
        UnreadableDocument(String message, Throwable cause) {
            super(message, cause);
        }
    }

    enum Format {
        PDF, DOCX, HTML, MARKDOWN, TEXT;

        /** The format of an upload, from its file name first, then its declared content type. */
        static Format of(String filename, String contentType) {
            String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
            String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
            if (name.endsWith(".pdf") || type.contains("pdf")) {
                return PDF;
            }
            if (name.endsWith(".docx") || type.contains("wordprocessingml")) {
                return DOCX;
            }
            if (name.endsWith(".html") || name.endsWith(".htm") || type.contains("html")) {
                return HTML;
            }
            if (name.endsWith(".md") || name.endsWith(".markdown") || type.contains("markdown")) {
                return MARKDOWN;
            }
            if (name.endsWith(".txt") || type.startsWith("text/plain")) {
                return TEXT;
            }
            throw new InvalidInput("unsupported file type '" + filename + "': upload PDF, DOCX, HTML, Markdown (.md) or plain text (.txt)");
        }
    }

    private static final Pattern MARKDOWN_HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern DOCX_HEADING = Pattern.compile("(?i)(heading|t[ií]tulo|ttulo)\\s*([1-6])");

    private DocumentParser() {
    }

    static ParsedDocument parse(byte[] bytes, String filename, String contentType) {
        Format format = Format.of(filename, contentType);
        String fallbackTitle = filename == null ? "document" : filename.replaceFirst("\\.[A-Za-z0-9]+$", "");
        try {
            return switch (format) {
                case PDF -> pdf(bytes, fallbackTitle);
                case DOCX -> docx(bytes, fallbackTitle);
                case HTML -> html(new String(bytes, StandardCharsets.UTF_8), fallbackTitle);
                case MARKDOWN -> markdown(new String(bytes, StandardCharsets.UTF_8), fallbackTitle);
                case TEXT -> plain(new String(bytes, StandardCharsets.UTF_8), fallbackTitle);
            };
        } catch (IOException | RuntimeException e) {
            if (e instanceof UnreadableDocument unreadable) {
                throw unreadable;
            }
            throw new UnreadableDocument("the " + format.name() + " file could not be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); check that it opens and is not password-protected", e);
        }
    }

    private static ParsedDocument pdf(byte[] bytes, String fallbackTitle) throws IOException {
        try (PDDocument document = Loader.loadPDF(bytes)) {
            if (document.isEncrypted() && !document.getCurrentAccessPermission().canExtractContent()) {
                throw new UnreadableDocument("the PDF is protected against text extraction; upload an unprotected copy", null);
            }
            String title = document.getDocumentInformation() == null ? null : document.getDocumentInformation().getTitle();
            PDFTextStripper stripper = new PDFTextStripper();
            List<ParsedDocument.Section> sections = new ArrayList<>();
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String text = stripper.getText(document).strip();
                if (!text.isEmpty()) {
                    sections.add(new ParsedDocument.Section(List.of("p. " + page), text));
                }
            }
            return nonEmpty(new ParsedDocument(title == null || title.isBlank() ? fallbackTitle : title.strip(), sections),
                    "the PDF has no text layer (a scanned image?); upload a PDF with selectable text");
        }
    }

    private static ParsedDocument docx(byte[] bytes, String fallbackTitle) throws IOException {
        try (XWPFDocument document = new XWPFDocument(new ByteArrayInputStream(bytes))) {
            Outline outline = new Outline();
            for (IBodyElement element : document.getBodyElements()) {
                if (element instanceof XWPFParagraph paragraph) {
                    String style = paragraph.getStyle() == null ? "" : paragraph.getStyle();
                    String styleName = style.isEmpty() || document.getStyles() == null || document.getStyles().getStyle(style) == null
                            ? style : document.getStyles().getStyle(style).getName();
                    int level = headingLevel(style, styleName);
                    if (level > 0) {
                        outline.heading(level, paragraph.getText());
                    } else if ("Title".equalsIgnoreCase(style) || "Title".equalsIgnoreCase(styleName)) {
                        outline.title(paragraph.getText());
                    } else {
                        outline.text(paragraph.getText());
                    }
                } else if (element instanceof XWPFTable table) {
                    table.getRows().forEach(row -> outline.text(String.join(" | ",
                            row.getTableCells().stream().map(cell -> cell.getText().strip()).toList())));
                }
            }
            String title = document.getProperties().getCoreProperties().getTitle();
            return nonEmpty(outline.document(title == null || title.isBlank() ? fallbackTitle : title),
                    "the DOCX has no text");
        }
    }

    /** 1–6 for a Heading style (English or Portuguese Word), 0 for body text. */
    private static int headingLevel(String styleId, String styleName) {
        for (String candidate : new String[] {styleName, styleId}) {
            Matcher heading = DOCX_HEADING.matcher(candidate == null ? "" : candidate);
            if (heading.find()) {
                return Integer.parseInt(heading.group(2));
            }
        }
        return 0;
    }

    private static ParsedDocument html(String html, String fallbackTitle) {
        var document = Jsoup.parse(html);
        document.select("script, style, nav, footer, header, noscript").remove();
        Outline outline = new Outline();
        for (Element element : document.body().select("h1, h2, h3, h4, h5, h6, p, li, td, th, pre, blockquote, dt, dd")) {
            String tag = element.tagName();
            if (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1))) {
                outline.heading(tag.charAt(1) - '0', element.text());
            } else if (element.parents().stream().noneMatch(p -> p.tagName().matches("p|li|td|th|blockquote|dd"))) {
                outline.text(element.text());
            }
        }
        String title = document.title();
        return nonEmpty(outline.document(title.isBlank() ? fallbackTitle : title), "the page has no readable text");
    }

    private static ParsedDocument markdown(String markdown, String fallbackTitle) {
        Outline outline = new Outline();
        StringBuilder paragraph = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\\R")) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = fenced ? null : MARKDOWN_HEADING.matcher(line);
            if (heading != null && heading.matches()) {
                outline.text(paragraph.toString());
                paragraph.setLength(0);
                outline.heading(heading.group(1).length(), heading.group(2));
            } else if (line.isBlank()) {
                outline.text(paragraph.toString());
                paragraph.setLength(0);
            } else {
                paragraph.append(paragraph.isEmpty() ? "" : "\n").append(line.strip());
            }
        }
        outline.text(paragraph.toString());
        return nonEmpty(outline.document(fallbackTitle), "the file has no text");
    }

    private static ParsedDocument plain(String text, String fallbackTitle) {
        Outline outline = new Outline();
        for (String paragraph : text.split("\\R\\s*\\R")) {
            outline.text(paragraph);
        }
        return nonEmpty(outline.document(fallbackTitle), "the file has no text");
    }

    private static ParsedDocument nonEmpty(ParsedDocument document, String whyEmpty) {
        if (document.sections().isEmpty()) {
            throw new UnreadableDocument(whyEmpty, null);
        }
        return document;
    }

    /** Collects text under the current heading path; a heading of level n replaces levels n and deeper. */
    private static final class Outline {
        private final List<String> headings = new ArrayList<>();
        private final List<Integer> levels = new ArrayList<>();
        private final List<ParsedDocument.Section> sections = new ArrayList<>();
        private final StringBuilder current = new StringBuilder();
        private String title;
        private String topHeading;
        private int topLevelHeadings;

        void title(String text) {
            if (title == null && !text.isBlank()) {
                title = text.strip();
            }
        }

        void heading(int level, String text) {
            flush();
            if (text == null || text.isBlank()) {
                return;
            }
            while (!levels.isEmpty() && levels.get(levels.size() - 1) >= level) {
                levels.remove(levels.size() - 1);
                headings.remove(headings.size() - 1);
            }
            if (level == 1) {
                topLevelHeadings++;
                topHeading = topLevelHeadings == 1 ? text.strip() : null;
            }
            levels.add(level);
            headings.add(text.strip());
        }

        void text(String text) {
            if (text != null && !text.isBlank()) {
                current.append(current.isEmpty() ? "" : "\n\n").append(text.strip());
            }
        }

        ParsedDocument document(String fallbackTitle) {
            flush();
            // one top-level heading over everything is the document's title, not a section of it
            if (title == null && topHeading != null && sections.stream().allMatch(s -> !s.headings().isEmpty()
                    && s.headings().get(0).equals(topHeading))) {
                List<ParsedDocument.Section> below = sections.stream().map(s -> new ParsedDocument.Section(
                        s.headings().subList(1, s.headings().size()), s.text())).toList();
                return new ParsedDocument(topHeading, below);
            }
            return new ParsedDocument(title != null ? title : fallbackTitle, List.copyOf(sections));
        }

        private void flush() {
            if (!current.isEmpty()) {
                sections.add(new ParsedDocument.Section(List.copyOf(headings), current.toString()));
                current.setLength(0);
            }
        }
    }
}
