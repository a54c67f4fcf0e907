package dev.keiryo.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.run.RunState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telling a live run from a killed one, and keeping two processes from running one run. */
class RunLockTest {
    @TempDir
    Path tmp;

    private Run running() {
        Run run = new RunStore(tmp.resolve("runs")).create("r");
        run.markRunning();
        return run;
    }

    @Test
    void aRunThisProcessRunsIsRunningAndEndsAsMarked() {
        Run run = running();
        assertEquals(RunState.RUNNING, run.state());
        run.markCompleted(null);
        run.close();
        assertEquals(RunState.COMPLETED, run.state());
    }

    @Test
    void aRunningStatusWhoseProcessIsGoneReadsAsKilled() throws IOException {
        Run run = running();
        Path status = run.dir().resolve(Run.STATUS_FILE);
        byte[] whileRunning = Files.readAllBytes(status);
        run.close(); // lets go of the lock as a dying process does, without recording an end
        Files.write(status, whileRunning);

        assertEquals(RunState.KILLED, run.state());
        assertTrue(run.status().orElseThrow().message().contains("keiryo train --resume"));
        assertEquals(
                RunState.KILLED, new RunStore(tmp.resolve("runs")).list().get(0).state());
    }

    @Test
    void withoutALockFileThePidTells() throws IOException {
        Run run = running();
        run.close();
        Files.delete(run.dir().resolve(RunLock.FILE));
        Path status = run.dir().resolve(Run.STATUS_FILE);
        String mine = Long.toString(ProcessHandle.current().pid());
        String json = Files.readString(status).replace("\"state\" : \"completed\"", "\"state\" : \"running\"");
        Files.writeString(status, json);
        assertEquals(RunState.RUNNING, run.state(), "this process lives");

        Files.writeString(status, json.replace("\"pid\" : " + mine, "\"pid\" : " + Long.MAX_VALUE));
        assertEquals(RunState.KILLED, run.state(), "no process has that id");
    }

    @Test
    void anotherProcessHoldingTheRunKeepsItRunningAndRefusesASecondClaim() throws Exception {
        Run run = running();
        run.close();
        Process holder = holdLock(run.dir().resolve(RunLock.FILE));
        try {
            assertEquals(RunState.RUNNING, run.state(), "the holder is alive");
            KeiryoException e = assertThrows(KeiryoException.class, run::claim);
            assertTrue(e.getMessage().contains("being run by another Keiryo process"), e.getMessage());
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(RunState.KILLED, run.state(), "SIGKILL released the lock");
        run.claim();
        run.close();
    }

    @Test
    void claimingRemovesWhatKilledWritesLeftBehind() throws IOException {
        Run run = running();
        run.close();
        Path models = run.models();
        Path left = models.resolve(".model.zip.0f8fad5b-d9cb-469f-a165-70867728950e.tmp");
        Path mine = models.resolve("notes.tmp");
        Files.writeString(left, "half");
        Files.writeString(mine, "a user's file");
        run.claim();
        run.close();
        assertFalse(Files.exists(left));
        assertTrue(Files.exists(mine), "only Keiryo's own temporary names are removed");
    }

    /** A second JVM that takes the lock, says so, and holds it until killed. */
    private Process holdLock(Path lockFile) throws IOException {
        Path src = tmp.resolve("Hold.java");
        Files.writeString(src, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class Hold {
                    public static void main(String[] a) throws Exception {
                        FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.WRITE);
                        ch.lock();
                        System.out.println("locked");
                        Thread.sleep(600_000);
                    }
                }
                """);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), src.toString(), lockFile.toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", out.readLine());
        return p;
    }
}
