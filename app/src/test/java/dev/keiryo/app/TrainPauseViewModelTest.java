package dev.keiryo.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.train.TrainViewModel;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.api.run.RunState;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pause and Continue on the Train view model, with training on a background thread as in the workbench. */
class TrainPauseViewModelTest {
    @TempDir
    Path dir;

    private final ThreadedTasks tasks = new ThreadedTasks();

    @AfterEach
    void close() {
        tasks.close();
    }

    /** Twenty epochs that never all run (the test stops them), so a fast machine cannot finish before the pause. */
    private static Experiment twentyEpochs(ParallelSpec parallel) {
        Experiment d = Workspace.defaults();
        return d.withData(d.data().withLimitTrain(1000))
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET300))
                .withTrain(d.train().withEpochs(20).withBatchSize(32).withParallel(parallel))
                .withEval(d.eval().withLatency(false));
    }

    /** Starts training, pauses it after its first minibatches, checks that it holds for {@code millis}, continues. */
    private TrainViewModel pauseAndContinue(Workspace ws, Experiment e, long millis) throws InterruptedException {
        TrainViewModel vm = tasks.onUi(() -> new TrainViewModel(ws));
        tasks.onUi(() -> {
            ws.experimentProperty().set(e);
            vm.train();
        });
        tasks.waitFor(
                "the first minibatches", 120, () -> vm.lossData().getSeries(0).getItemCount() > 0);
        tasks.onUi(vm::togglePause);
        tasks.waitFor("training to hold", 120, () -> vm.holdingProperty().get());
        int held = tasks.onUi(() -> vm.lossData().getSeries(0).getItemCount());
        double at = tasks.onUi(() -> vm.pausedAtProperty().get());
        String message = tasks.onUi(() -> vm.messageProperty().get());
        assertTrue(message.startsWith("Paused "), message);
        Thread.sleep(millis);
        assertEquals(held, tasks.onUi(() -> vm.lossData().getSeries(0).getItemCount()), "nothing trains while paused");
        assertEquals(
                at,
                tasks.onUi(() -> vm.lossData().getSeries(0).getMaxX()),
                1e-9,
                "the pause is marked where the loss curve stops");
        assertTrue(
                tasks.onUi(() -> vm.runningProperty().get()),
                "a pause does not end the run: " + vm.messageProperty().get());

        tasks.onUi(vm::togglePause);
        tasks.waitFor(
                "training to continue",
                120,
                () -> !vm.holdingProperty().get() && vm.lossData().getSeries(0).getItemCount() > held);
        assertFalse(Double.isFinite(tasks.onUi(() -> vm.pausedAtProperty().get())), "no paused marker once it goes on");
        return vm;
    }

    /** Stops the run and checks that it is marked cancelled, with no pause left over and every samples/s point a rate. */
    private void stopCleanly(Workspace ws, TrainViewModel vm) {
        tasks.onUi(vm::stop);
        tasks.waitFor("the stop", 120, () -> !vm.runningProperty().get());
        assertTrue(
                tasks.onUi(() -> vm.messageProperty().get()).startsWith("Stopped."),
                vm.messageProperty().get());
        assertTrue(tasks.onUi(() -> vm.stoppedRunProperty().get()) != null, "a stopped run to resume");
        assertEquals(
                RunState.CANCELLED,
                Engine.local().listRuns(ws.runsFolder()).get(0).state(),
                "marked cancelled, Resume can go on");
        assertFalse(
                tasks.onUi(
                        () -> vm.pausedProperty().get() || vm.holdingProperty().get()),
                "no pause left over");
        assertTrue(
                tasks.onUi(() -> {
                    org.jfree.data.xy.XYSeries speed = vm.speedData().getSeries(0);
                    return java.util.stream.IntStream.range(0, speed.getItemCount())
                            .mapToDouble(i -> speed.getY(i).doubleValue())
                            .allMatch(y -> Double.isFinite(y) && y > 0);
                }),
                "every samples/s point is a rate");
    }

    @Test
    void pauseHoldsBetweenMinibatchesContinueGoesOnAndStopWhilePausedStopsCleanly() throws Exception {
        Workspace ws = new Workspace(tasks, dir);
        TrainViewModel vm = pauseAndContinue(ws, twentyEpochs(ParallelSpec.defaults()), 400);
        assertTrue(tasks.onUi(() -> vm.pauseHintProperty().get())
                .startsWith("Holds training after the current minibatch"));

        tasks.onUi(vm::togglePause);
        tasks.waitFor(
                "training to hold again",
                120,
                () -> vm.holdingProperty().get() || !vm.runningProperty().get());
        assertTrue(tasks.onUi(() -> vm.runningProperty().get()), "twenty epochs are not over yet");
        stopCleanly(ws, vm);
    }

    @Test
    void dataParallelTrainingHoldsLongerThanTheHangWatchdogsLimitThenGoesOn() throws Exception {
        Workspace ws = new Workspace(tasks, dir);
        ParallelSpec sync = ParallelSpec.defaults()
                .withMode(ParallelSpec.TrainMode.SYNC)
                .withWorkers(2)
                .withStallSeconds(2);
        TrainViewModel vm = pauseAndContinue(ws, twentyEpochs(sync), 2500);
        assertTrue(
                tasks.onUi(() -> vm.pauseHintProperty().get())
                        .startsWith("Holds data-parallel training after the current" + " round"),
                "the tooltip says what Pause does in data-parallel mode");
        stopCleanly(ws, vm);
    }
}
