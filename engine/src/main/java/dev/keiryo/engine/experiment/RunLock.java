package dev.keiryo.engine.experiment;

import dev.keiryo.engine.api.KeiryoException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock a process holds on a run folder for as long as it runs the run. The operating system
 * drops it when the process dies however it dies, so a "running" status whose lock is free belongs
 * to a killed process, and two processes can never run (or resume) one run at once.
 */
final class RunLock implements AutoCloseable {
    static final String FILE = ".lock";
    private static final int ATTEMPTS = 20;
    private static final long WAIT_MILLIS = 50;

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the run's lock, retrying briefly, since another process may hold it for a moment only
     * to see whether the run is alive.
     *
     * @throws KeiryoException if another process runs this run, or the folder cannot hold the lock file
     */
    static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            for (int i = 0; i < ATTEMPTS; i++) {
                FileLock l = tryLock(ch);
                if (l != null) {
                    return new RunLock(ch, l);
                }
                Thread.sleep(WAIT_MILLIS);
            }
            ch.close();
            throw new KeiryoException("run " + dir.getFileName() + " is being run by another Keiryo process right now;"
                    + " wait for it to end, or stop it, before running or resuming it here.");
        } catch (IOException e) {
            closeQuietly(ch);
            throw new KeiryoException(
                    dir + ": cannot lock the run folder (" + e.getMessage() + "); check that it is writable.", e);
        } catch (InterruptedException e) {
            closeQuietly(ch);
            Thread.currentThread().interrupt();
            throw new KeiryoException("interrupted while waiting for the lock of run " + dir.getFileName() + ".", e);
        }
    }

    /**
     * Whether a live process holds the run's lock: true or false, or null when it cannot be told
     * (no lock file, as in runs made by earlier versions, or a folder this process cannot write).
     */
    static Boolean held(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock l = tryLock(ch);
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (IOException e) {
            return null;
        }
    }

    /** Null when the lock is taken, by another process or by this one (which Java reports by throwing). */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it too.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // Nothing was written through it.
        }
    }
}
