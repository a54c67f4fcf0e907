package dev.keiryo.app;

import static org.junit.jupiter.api.Assertions.fail;

import dev.keiryo.app.concurrent.FxTasks;
import dev.keiryo.app.workspace.AppPrefs;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A workbench in a headless stage, with its own preferences node and workspace folder, for the
 * TestFX tests: register it as an extension (it cleans up after each test) and call
 * {@link #start} from the test class's {@code @Start} method (TestFX finds those only there).
 */
final class WorkbenchFixture implements AfterEachCallback {
    final Preferences prefsNode = Preferences.userRoot().node("dev/keiryo/workbench-test-" + UUID.randomUUID());
    final FxTasks tasks = new FxTasks();
    final Path folder;
    Workbench wb;
    Stage stage;

    WorkbenchFixture() {
        try {
            folder = Files.createTempDirectory("keiryo-workbench-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void start(Stage s) {
        Platform.setImplicitExit(false);
        // -Dkeiryo.window=1024x680 takes the screenshots at another size (the docs' are 1280x800).
        String size = System.getProperty("keiryo.window", "1280x800");
        int x = size.indexOf('x');
        prefsNode.putDouble("window.width", Double.parseDouble(size.substring(0, x)));
        prefsNode.putDouble("window.height", Double.parseDouble(size.substring(x + 1)));
        stage = s;
        wb = new Workbench(tasks, new AppPrefs(prefsNode), folder);
        wb.show(s);
    }

    @Override
    public void afterEach(ExtensionContext context) throws BackingStoreException {
        tasks.close();
        prefsNode.removeNode();
        // Best effort: a cancelled run may still be writing its status; a folder left in /tmp fails no test.
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException leftForTheSystemsTmpCleaning) {
            // nothing to do
        }
    }

    /** Waits on the test thread, checking {@code ok} on the FX thread; a timeout reports what the status bar said. */
    void waitFor(String what, int seconds, BooleanSupplier ok) {
        if (ThreadedTasks.poll(seconds, 50, () -> fx(ok::getAsBoolean))) {
            return;
        }
        fail("timed out after " + seconds + " s waiting for " + what + "; status: "
                + fx(() -> wb.workspace().status().messageProperty().get()) + "; train: "
                + fx(() -> wb.train().messageProperty().get()));
    }

    static <T> T fx(java.util.concurrent.Callable<T> c) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Shows a tab by its position (0 = Data), as Ctrl+1.. does. */
    void tab(int index) {
        fx(() -> {
            wb.tabs().getSelectionModel().select(index);
            return null;
        });
    }

    /** Saves the scene as a PNG when -Dkeiryo.screenshots=DIR is set (the docs' screenshots). */
    static void screenshot(Scene scene, String name) throws IOException {
        String dir = System.getProperty("keiryo.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        WritableImage img = fx(() -> scene.snapshot(null));
        BufferedImage png = SwingFXUtils.fromFXImage(img, null);
        Path out = Path.of(dir);
        Files.createDirectories(out);
        ImageIO.write(png, "png", out.resolve(name + ".png").toFile());
    }
}
