package dev.keiryo.app.train;

import java.util.Optional;
import javafx.beans.property.Property;
import javafx.beans.value.ObservableValue;
import org.controlsfx.control.PropertySheet;

/** A property-sheet row over one JavaFX property of {@link TrainSettingsModel}. */
final class SettingItem implements PropertySheet.Item {
    private final TrainSettingsModel.SheetRow s;

    SettingItem(TrainSettingsModel.SheetRow s) {
        this.s = s;
    }

    @Override
    public Class<?> getType() {
        return s.type();
    }

    @Override
    public String getCategory() {
        return s.category();
    }

    @Override
    public String getName() {
        return s.name();
    }

    @Override
    public String getDescription() {
        return s.description();
    }

    @Override
    public Object getValue() {
        return s.property().getValue();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void setValue(Object value) {
        Object v = value;
        // The sheet's numeric editors hand back whatever Number type they parsed.
        if (v instanceof Number n) {
            if (s.type() == Integer.class) {
                v = n.intValue();
            } else if (s.type() == Long.class) {
                v = n.longValue();
            } else if (s.type() == Double.class) {
                v = n.doubleValue();
            }
        }
        ((Property<Object>) s.property()).setValue(v);
    }

    @Override
    public boolean isEditable() {
        return s.editable().getAsBoolean();
    }

    @Override
    public Optional<ObservableValue<? extends Object>> getObservableValue() {
        return Optional.of(s.property());
    }
}
