package dev.keiryo.engine.compress.pack;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.io.AtomicWrite;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/**
 * Whole-file writes that never leave a half-written model: the bytes go to a temporary file next
 * to the target (same file system, so the final step is a rename) and only then take its name.
 */
final class PackFiles {
    private PackFiles() {}

    static void write(Path file, byte[] bytes, boolean replace) {
        try {
            AtomicWrite.write(file, bytes, replace);
        } catch (FileAlreadyExistsException e) {
            throw exists(file);
        } catch (IOException e) {
            throw new KeiryoException(
                    "packed model " + file + " cannot be written (" + e + "); check free disk space and"
                            + " permissions.",
                    e);
        }
    }

    private static KeiryoException exists(Path file) {
        return new KeiryoException(
                "packed model " + file + " already exists; choose another file name or allow" + " replacing it.");
    }
}
