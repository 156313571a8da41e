package io.mailfleet.persistence.serialization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The class → id table every module contributes under {@code mailfleet.kryo.registrations} in its
 * own {@code reference.conf}, validated: ids unique, at least 100, classes present.
 */
public final class KryoRegistrations {

    public static final String PATH = "mailfleet.kryo.registrations";

    private final Map<Integer, Class<?>> byId;

    private KryoRegistrations(Map<Integer, Class<?>> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /** Reads and checks the table; any problem is an {@link IllegalArgumentException} naming the entry. */
    public static KryoRegistrations fromConfig(Config config, ClassLoader classLoader) {
        Map<Integer, Class<?>> byId = new TreeMap<>();
        Map<Integer, String> names = new TreeMap<>();
        if (!config.hasPath(PATH)) {
            return new KryoRegistrations(byId);
        }
        ConfigObject table = config.getObject(PATH);
        for (Map.Entry<String, ConfigValue> e : table.entrySet()) {
            String className = e.getKey();
            ConfigValue value = e.getValue();
            if (value.valueType() == ConfigValueType.OBJECT) {
                throw new IllegalArgumentException(PATH + ": key '" + className + "' is not a class name; quote"
                        + " class names, e.g. \"io.mailfleet.Foo$Bar\" = 1001");
            }
            if (value.valueType() != ConfigValueType.NUMBER
                    || !(value.unwrapped() instanceof Integer)) {
                throw new IllegalArgumentException(PATH + ": \"" + className + "\" = " + value.render()
                        + " is not allowed; the value must be an integer id >= " + BuiltinRegistrations.FIRST_CONFIGURED_ID);
            }
            int id = (Integer) value.unwrapped();
            if (id < BuiltinRegistrations.FIRST_CONFIGURED_ID) {
                throw new IllegalArgumentException(PATH + ": \"" + className + "\" = " + id + " is not allowed; ids below "
                        + BuiltinRegistrations.FIRST_CONFIGURED_ID + " are reserved for built-in registrations");
            }
            String previous = names.putIfAbsent(id, className);
            if (previous != null) {
                String[] pair = previous.compareTo(className) < 0
                        ? new String[] {previous, className} : new String[] {className, previous};
                throw new IllegalArgumentException(PATH + ": id " + id + " is used by both \"" + pair[0]
                        + "\" and \"" + pair[1] + "\"; every class needs its own id, never reused");
            }
        }
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            try {
                byId.put(e.getKey(), Class.forName(e.getValue(), false, classLoader));
            } catch (ClassNotFoundException | LinkageError ex) {
                throw new IllegalArgumentException(PATH + ": class \"" + e.getValue() + "\" (id " + e.getKey()
                        + ") cannot be loaded: " + ex, ex);
            }
        }
        return new KryoRegistrations(byId);
    }

    /** Id → class, in id order. */
    public Map<Integer, Class<?>> byId() {
        return byId;
    }
}
