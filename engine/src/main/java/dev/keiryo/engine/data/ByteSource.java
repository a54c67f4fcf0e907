package dev.keiryo.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Something readers can open, plus the name to show in error messages. Lets one reader serve
 * both files on disk and resources bundled on the class path.
 */
public record ByteSource(String description, Opener opener) {

    /** Opens a fresh stream; a missing source throws {@link NoSuchFileException}. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    public ByteSource {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(opener, "opener");
    }

    public static ByteSource of(Path path) {
        return new ByteSource(path.toString(), () -> Files.newInputStream(path));
    }

    /** A class-path resource, given as an absolute resource path ("/dev/keiryo/..."). */
    public static ByteSource ofResource(String resourcePath) {
        String description = "classpath:" + resourcePath;
        return new ByteSource(description, () -> {
            InputStream in = ByteSource.class.getResourceAsStream(resourcePath);
            if (in == null) {
                throw new NoSuchFileException(description);
            }
            return in;
        });
    }

    /** Whether the source can be opened; opening is the only portable test for resources. */
    public boolean exists() {
        try {
            opener.open().close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public InputStream open() throws IOException {
        return opener.open();
    }

    @Override
    public String toString() {
        return description;
    }
}
