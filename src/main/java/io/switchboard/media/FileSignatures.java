package io.switchboard.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a file's first bytes say it is — the cheap check that a declared type is not a disguise (a program
 * called {@code photo.png}). Only signatures that are unambiguous are known; for anything else (text, CSV,
 * Office documents inside a zip) the declared type stands.
 */
public final class FileSignatures {

    private FileSignatures() {
    }

    /** The MIME type the leading bytes identify, or null when they match nothing known. */
    public static String typeOf(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (starts(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (starts(bytes, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (ascii(bytes, 0, "GIF87a") || ascii(bytes, 0, "GIF89a")) {
            return "image/gif";
        }
        if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) {
            return "image/webp";
        }
        if (ascii(bytes, 0, "%PDF-")) {
            return "application/pdf";
        }
        if (ascii(bytes, 0, "MZ")) {
            return "application/x-msdownload"; // Windows programs and libraries
        }
        if (starts(bytes, 0, 0x7F, 'E', 'L', 'F')) {
            return "application/x-executable";
        }
        if (starts(bytes, 0, 0xFE, 0xED, 0xFA, 0xCE) || starts(bytes, 0, 0xFE, 0xED, 0xFA, 0xCF)
                || starts(bytes, 0, 0xCE, 0xFA, 0xED, 0xFE) || starts(bytes, 0, 0xCF, 0xFA, 0xED, 0xFE)) {
            return "application/x-mach-binary";
        }
        return null;
    }

    /** Whether the bytes are a program (Windows, Linux or macOS), whatever name or type they came with. */
    public static boolean program(byte[] bytes) {
        String type = typeOf(bytes);
        return type != null && (type.equals("application/x-msdownload") || type.equals("application/x-executable")
                || type.equals("application/x-mach-binary"));
    }

    /**
     * Whether the bytes contradict the declared type: it names an image or a PDF (types whose signature is known)
     * and the bytes are not one.
     */
    public static boolean contradicts(String declaredType, byte[] bytes) {
        String declared = MediaProperties.baseType(declaredType);
        if (declared == null || !(declared.equals("application/pdf") || declared.equals("image/png") || declared.equals("image/jpeg")
                || declared.equals("image/gif") || declared.equals("image/webp"))) {
            return false;
        }
        String actual = typeOf(bytes);
        return actual == null || !(actual.equals(declared) || actual.startsWith("image/") && declared.startsWith("image/"));
    }

    private static boolean starts(byte[] bytes, int offset, int... expected) {
        if (bytes.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] bytes, int offset, String text) {
        byte[] expected = text.getBytes(StandardCharsets.US_ASCII);
        return bytes.length >= offset + expected.length
                && Arrays.equals(bytes, offset, offset + expected.length, expected, 0, expected.length);
    }
}
