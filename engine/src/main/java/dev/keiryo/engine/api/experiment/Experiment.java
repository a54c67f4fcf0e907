package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.keiryo.engine.api.KeiryoException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One experiment: what data, which model, how to train and evaluate. Read and written by
 * {@link ExperimentFile}; copied with the {@code withX} methods to apply command-line overrides.
 *
 * @param name used in the run folder name; letters, digits, '.', '_' and '-'
 * @param steps what to do with the trained (or loaded) model, in order: each step makes variants
 *     or analyses from the previous variant
 */
@JsonPropertyOrder({"schemaVersion", "name", "seed", "data", "model", "train", "eval", "steps"})
public record Experiment(
        int schemaVersion,
        String name,
        long seed,
        DataSpec data,
        ModelSpec model,
        TrainSpec train,
        EvalSpec eval,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<StepSpec> steps) {

    /** The newest schema version this Keiryo reads and the one it writes. */
    public static final int SCHEMA_VERSION = 1;

    public Experiment {
        data = data == null ? DataSpec.defaults() : data;
        model = model == null ? ModelSpec.defaults() : model;
        train = train == null ? TrainSpec.defaults() : train;
        eval = eval == null ? EvalSpec.defaults() : eval;
        steps = steps == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(steps));
    }

    public static Experiment defaults() {
        return of(null, null, null, null, null, null, null, null);
    }

    @JsonCreator
    static Experiment of(
            @JsonProperty("schemaVersion") Integer schemaVersion,
            @JsonProperty("name") String name,
            @JsonProperty("seed") Long seed,
            @JsonProperty("data") DataSpec data,
            @JsonProperty("model") ModelSpec model,
            @JsonProperty("train") TrainSpec train,
            @JsonProperty("eval") EvalSpec eval,
            @JsonProperty("steps") List<StepSpec> steps) {
        return new Experiment(
                schemaVersion == null ? SCHEMA_VERSION : schemaVersion,
                name == null ? RunSettings.NAME.defaultValue() : name,
                seed == null ? RunSettings.SEED.defaultValue() : seed,
                data,
                model,
                train,
                eval,
                steps);
    }

    /** The semantic problems of this experiment, each naming its field; empty when valid. */
    public List<String> problems() {
        return ExperimentChecks.problems(this);
    }

    /** Checks ranges and combinations; see {@link #validate(String)}. */
    public Experiment validate() {
        return validate("experiment");
    }

    /**
     * Checks ranges and combinations.
     *
     * @param source where the values came from, for the message: a file name or "command line"
     * @return this, for chaining
     * @throws KeiryoException naming the source and the first invalid field
     */
    public Experiment validate(String source) {
        List<String> problems = problems();
        if (problems.isEmpty()) {
            return this;
        }
        String more = problems.size() == 1 ? "" : " (and " + (problems.size() - 1) + " more problems)";
        throw new KeiryoException(source + ": " + problems.get(0) + more + ".");
    }

    public Experiment withName(String v) {
        return new Experiment(schemaVersion, v, seed, data, model, train, eval, steps);
    }

    public Experiment withSeed(long v) {
        return new Experiment(schemaVersion, name, v, data, model, train, eval, steps);
    }

    public Experiment withData(DataSpec v) {
        return new Experiment(schemaVersion, name, seed, v, model, train, eval, steps);
    }

    public Experiment withModel(ModelSpec v) {
        return new Experiment(schemaVersion, name, seed, data, v, train, eval, steps);
    }

    public Experiment withTrain(TrainSpec v) {
        return new Experiment(schemaVersion, name, seed, data, model, v, eval, steps);
    }

    public Experiment withSteps(List<StepSpec> v) {
        return new Experiment(schemaVersion, name, seed, data, model, train, eval, v);
    }

    public Experiment withEval(EvalSpec v) {
        return new Experiment(schemaVersion, name, seed, data, model, train, v, steps);
    }
}
