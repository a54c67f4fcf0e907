package dev.keiryo.engine.job;

import dev.keiryo.engine.api.compress.DistillMode;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.compress.distill.DistillSettings;

/**
 * Tags a distillation comparison's event stream with {@link TrainingEvent.Student} events, so that a
 * listener (the workbench's live curves, JSON lines) knows which student and stage the iteration and
 * epoch events that follow belong to. A hints+KD student switches from its hint stage to KD after
 * {@link DistillSettings#hintEpochs()} epochs, as the distiller trains it; the switch is announced
 * when the hint stage's last epoch event has passed.
 */
final class DistillProgress implements TrainingListener {
    private final TrainingListener next;
    private final DistillSettings settings;
    private final int students;
    private double teacherAccuracy = Double.NaN;
    private int student;
    private DistillMode mode;
    private long seed;
    private int hintEpochsLeft;

    DistillProgress(TrainingListener next, DistillSettings settings, int students) {
        this.next = next;
        this.settings = settings;
        this.students = students;
    }

    void teacherAccuracy(double accuracy) {
        this.teacherAccuracy = accuracy;
    }

    /** The next student begins: its hint stage with hints+KD, else its only training stage. */
    void starts(DistillMode m, long s) {
        student++;
        mode = m;
        seed = s;
        hintEpochsLeft = m == DistillMode.HINTS_KD ? settings.hintEpochs() : 0;
        stage(
                hintEpochsLeft > 0 ? TrainingEvent.Student.HINT : TrainingEvent.Student.TRAIN,
                hintEpochsLeft > 0 ? settings.hintEpochs() : settings.epochs(),
                Double.NaN,
                null);
    }

    /** The current student is trained, measured and stored as {@code v}. */
    void done(Variant v) {
        stage(TrainingEvent.Student.DONE, 0, v.metrics().accuracy(), v.id());
    }

    @Override
    public void onEvent(TrainingEvent event) {
        next.onEvent(event);
        if (event instanceof TrainingEvent.Epoch && hintEpochsLeft > 0 && --hintEpochsLeft == 0) {
            stage(TrainingEvent.Student.TRAIN, settings.epochs(), Double.NaN, null);
        }
    }

    private void stage(String stage, int epochs, double testAccuracy, String variant) {
        next.onEvent(new TrainingEvent.Student(
                0, student, students, mode.id(), seed, stage, epochs, teacherAccuracy, testAccuracy, variant));
    }
}
