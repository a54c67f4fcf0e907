package dev.keiryo.app;

import javafx.application.Application;

/**
 * The main class. It must not extend Application: started from the class path (DL4J is not
 * modular), the JavaFX launcher refuses an Application main class ("JavaFX runtime components are
 * missing").
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        if (args.length > 0 && "--bench".equals(args[0])) {
            WorkbenchBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "--soak".equals(args[0])) {
            WorkbenchSoak.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Application.launch(WorkbenchApp.class, args);
    }
}
