package dev.keiryo.engine.api.compress;

/** How a student is trained in a distillation comparison. */
public enum DistillMode {
    /** Labels only: the baseline every distilled student is compared with. */
    SCRATCH("scratch"),
    /** Hinton et al.'s knowledge distillation: labels and the teacher's soft targets. */
    KD("kd"),
    /** FitNets: stage 1 trains up to the guided layer on the teacher's hint, stage 2 is KD. */
    HINTS_KD("hints+kd");

    private final String id;

    DistillMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean usesTeacher() {
        return this != SCRATCH;
    }
}
