package io.mailfleet.server.jmx;

import javax.management.ObjectName;

/** A node's MBean under its registered name; closing it unregisters it. */
abstract class RegisteredBean implements AutoCloseable {

    private final ObjectName name;

    RegisteredBean(ObjectName name) {
        this.name = name;
    }

    public ObjectName objectName() {
        return name;
    }

    @Override
    public void close() throws Exception {
        MBeans.unregister(name);
    }
}
