package dev.keiryo.engine.api.run;

/** What a training run reports as it goes; the CLI draws a progress bar or JSON lines from these. */
public sealed interface TrainingEvent {
    int epoch();

    /** One minibatch done. {@code samplesPerSecond} is over the epoch so far, time held by a pause left out. */
    record Iteration(
            int epoch, long iteration, int batchInEpoch, int batchesPerEpoch, double loss, double samplesPerSecond)
            implements TrainingEvent {}

    /**
     * An epoch done, of {@code epochs} in this training or fine-tuning phase, and evaluated on the
     * validation set (NaN when there is none).
     */
    record Epoch(
            int epoch,
            int epochs,
            double trainLoss,
            double validationAccuracy,
            double validationLoss,
            double seconds,
            double samplesPerSecond,
            boolean improved)
            implements TrainingEvent {}

    /**
     * Training holds after minibatch {@code batchInEpoch} of {@code batchesPerEpoch} because its token was paused
     * ({@code holding} true), or goes on after that hold ({@code holding} false; not sent when the hold ends in a stop).
     * Time spent holding is left out of every samples/s and epoch seconds.
     */
    record Pause(int epoch, int batchInEpoch, int batchesPerEpoch, boolean holding) implements TrainingEvent {}

    /** Something worth telling the user that is not a number. */
    record Message(int epoch, String text) implements TrainingEvent {}

    /**
     * Where a distillation comparison stands: student {@code student} of {@code students} ({@code mode}: scratch, kd
     * or hints+kd; {@code seed}) begins a stage of {@code epochs} epochs, or is done. The Iteration and Epoch events
     * that follow, until the next Student event, belong to that stage. Stages: "hint" (FitNets stage 1; its losses are
     * the L2 distance to the teacher's hint and its epochs carry no accuracy), "train" (labels, and the teacher's soft
     * targets unless scratch; its epochs carry the student's per-epoch curve accuracy) and "done" ({@code variant} is
     * the student's variant and {@code testAccuracy} its test accuracy; NaN before). {@code teacherAccuracy} is the
     * teacher's test accuracy, the line the students are measured against.
     */
    record Student(
            int epoch,
            int student,
            int students,
            String mode,
            long seed,
            String stage,
            int epochs,
            double teacherAccuracy,
            double testAccuracy,
            String variant)
            implements TrainingEvent {
        public static final String HINT = "hint";
        public static final String TRAIN = "train";
        public static final String DONE = "done";
    }
}
