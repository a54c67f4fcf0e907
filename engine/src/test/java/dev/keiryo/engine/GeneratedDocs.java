package dev.keiryo.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A page generated from the code: rewritten with -Dkeiryo.docs.write=true, else checked to be current. */
public final class GeneratedDocs {
    private GeneratedDocs() {}

    /**
     * Writes {@code expected} to {@code doc}, or fails when the page differs from it.
     *
     * @param what what the page must match, for the failure's sentence
     * @param regenerate the command that rewrites the page
     */
    public static void check(Path doc, String expected, String what, String regenerate) throws IOException {
        if (Boolean.getBoolean("keiryo.docs.write")) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
            return;
        }
        String actual = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
        if (!actual.equals(expected)) {
            fail(doc.getFileName() + " is out of date with " + what + "; regenerate it with: " + regenerate);
        }
    }
}
