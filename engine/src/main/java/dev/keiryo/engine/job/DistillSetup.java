package dev.keiryo.engine.job;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.DistillMode;
import dev.keiryo.engine.api.experiment.DistillStepSpec;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.compress.distill.DistillSettings;
import dev.keiryo.engine.compress.distill.Distiller;
import dev.keiryo.engine.compress.distill.StudentNets;
import dev.keiryo.engine.compress.distill.Teacher;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Validator;
import java.util.ArrayList;
import java.util.List;

/**
 * A distill step's settings resolved against its teacher and the run's data: which student, which
 * modes, how many seeds, and the normalisation both see. Resolving checks everything that can be
 * wrong with them, so the same code rejects bad input before the run folder exists.
 */
record DistillSetup(
        Teacher teacher,
        ModelMeta teacherMeta,
        Architecture student,
        DistillSettings settings,
        Normalizer normalization,
        List<DistillMode> modes,
        int seeds) {

    static DistillSetup resolve(KeiryoModel teacher, Dataset train, Normalizer runNormalization, DistillStepSpec s) {
        ModelMeta tm = teacher.meta();
        if (tm == null) {
            throw new KeiryoException(
                    "distill: the teacher has no Keiryo metadata (input shape, classes); save it with Keiryo first.");
        }
        if (tm.numClasses() != train.numClasses()) {
            throw new KeiryoException("distill: the teacher predicts " + tm.numClasses() + " classes but the data has "
                    + train.numClasses() + "; distil on the data set the teacher was trained for.");
        }
        if (tm.input().size() != train.featureCount()) {
            throw new KeiryoException("distill: the teacher takes " + tm.input().size()
                    + " input values but the data has " + train.featureCount()
                    + " per example; distil on the data set the teacher was trained for.");
        }
        StudentNets.requireSoftmaxClassifier(teacher.net(), "distill: the teacher");
        ArchitecturePreset preset =
                s.student() != null ? ArchitecturePreset.parse(s.student().id()) : defaultStudent(tm);
        double width = s.width() != null ? s.width() : s.student() == null ? 0.5 : 1.0;
        Architecture student = new Architecture(preset, width, s.hidden(), s.dropout() == null ? 0 : s.dropout());
        DistillSettings settings = new DistillSettings(
                s.temperature(), s.alpha(), s.epochs(), s.hintLayer(), s.guidedLayer(), s.hintEpochs());
        List<DistillMode> modes = new ArrayList<>();
        if (s.compare()) {
            modes.add(DistillMode.SCRATCH);
            modes.add(DistillMode.KD);
        }
        if (settings.hints()) {
            modes.add(DistillMode.HINTS_KD);
        } else if (!s.compare()) {
            modes.add(DistillMode.KD);
        }
        Normalizer norm = tm.normalization() != null ? tm.normalization() : runNormalization;
        return new DistillSetup(
                new Teacher(teacher.net(), tm.input(), tm.imageShaped()),
                tm,
                student,
                settings,
                norm,
                List.copyOf(modes),
                s.seedCount());
    }

    /**
     * A copy of the teacher's architecture; an imported teacher has none Keiryo can build, so its
     * student is LeNet-5 for images and the MLP for tables, the presets that fit any input size.
     */
    static ArchitecturePreset defaultStudent(ModelMeta teacher) {
        for (ArchitecturePreset p : ArchitecturePreset.values()) {
            if (p.id().equals(teacher.preset())) {
                return p;
            }
        }
        return teacher.imageShaped() ? ArchitecturePreset.LENET5 : ArchitecturePreset.MLP;
    }

    Distiller distiller(
            Dataset train,
            TrainSettings base,
            Validator curve,
            TrainingListener listener,
            dev.keiryo.engine.api.run.CancellationToken cancel) {
        return new Distiller(teacher, train, normalization, settings, base, curve, listener, cancel);
    }

    /** Builds a student and, with hints, maps the layers: every shape problem surfaces here. */
    void checkModels(Dataset train, TrainSettings base) {
        Distiller d = distiller(train, base, null, null, null);
        StudentNets.requireSoftmaxClassifier(d.student(student, base.seed()), "distill: the student");
        if (settings.hints()) {
            d.hintPlan(student);
        }
    }

    ModelMeta studentMeta(Dataset train) {
        return new ModelMeta(
                ModelMeta.FORMAT_VERSION,
                student.preset().id(),
                new InputShape(train.channels(), train.height(), train.width()),
                student.preset().convolutional(),
                train.numClasses(),
                train.classNames(),
                normalization);
    }
}
