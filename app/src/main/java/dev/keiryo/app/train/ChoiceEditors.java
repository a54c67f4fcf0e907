package dev.keiryo.app.train;

import dev.keiryo.app.ui.Converters;
import dev.keiryo.engine.api.settings.Choice;
import java.util.Arrays;
import javafx.scene.control.ComboBox;
import javafx.util.Callback;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.DefaultPropertyEditorFactory;
import org.controlsfx.property.editor.Editors;
import org.controlsfx.property.editor.PropertyEditor;

/**
 * The sheet's editors, with choices shown by their ids ("adam", "float"), as the experiment file
 * and the CLI spell them, rather than by their enum names ("ADAM", "FLOAT").
 */
final class ChoiceEditors implements Callback<PropertySheet.Item, PropertyEditor<?>> {
    private final DefaultPropertyEditorFactory defaults = new DefaultPropertyEditorFactory();

    @Override
    public PropertyEditor<?> call(PropertySheet.Item item) {
        Class<?> type = item.getType();
        if (!type.isEnum() || !Choice.class.isAssignableFrom(type)) {
            return defaults.call(item);
        }
        PropertyEditor<?> editor = Editors.createChoiceEditor(item, Arrays.<Object>asList(type.getEnumConstants()));
        @SuppressWarnings("unchecked") // the choice editor's control is a combo box over the choices
        ComboBox<Object> box = (ComboBox<Object>) editor.getEditor();
        box.setConverter(Converters.names(c -> ((Choice) c).id()));
        return editor;
    }
}
