package dev.keiryo.engine.compress.pack;

import dev.keiryo.engine.KeiryoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Whole-file writes that never leave a half-written model: the bytes go to a temporary file next
 * to the target (same file system, so the final step is a rename) and only then take its name.
 */
final class PackFiles {
    private PackFiles() {
    }

    static void write(Path file, byte[] bytes, boolean replace) {
        Path target = file.toAbsolutePath();
        if (!replace && Files.exists(target)) {
            throw exists(file);
        }
        Path dir = target.getParent();
        // Not Files.createTempFile: it makes the file owner-only (0600) on POSIX systems.
        Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (replace) {
                moveReplacing(tmp, target);
            } else {
                publishNew(tmp, target);
            }
        } catch (FileAlreadyExistsException e) {
            throw exists(file);
        } catch (IOException e) {
            throw new KeiryoException("packed model " + file + " cannot be written (" + e + "); check free disk space and"
                    + " permissions.", e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The outcome is already decided; a stray temp file is the lesser problem.
            }
        }
    }

    private static void moveReplacing(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * A rename would silently replace a file created since the check above (POSIX rename does);
     * a hard link fails instead, so a concurrent writer's file is never lost.
     */
    private static void publishNew(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            // No hard links here (FAT, some network shares): a plain move still refuses an existing file.
            Files.move(tmp, target);
        }
    }

    private static KeiryoException exists(Path file) {
        return new KeiryoException("packed model " + file + " already exists; choose another file name or allow"
                + " replacing it.");
    }
}
