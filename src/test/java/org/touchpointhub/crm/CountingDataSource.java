package org.touchpointhub.crm;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source that passes everything to the real one and counts the SQL statements executed through it, a JDBC
 * batch as one execution per entry (PostgreSQL runs each entry as a statement of its own). Hand-written with JDK proxies
 * (about 50 lines) rather than a proxy library, as the project has none on its test class path and counting is all
 * it must do.
 */
final class CountingDataSource {

    private final DataSource target;
    private final AtomicInteger executions = new AtomicInteger();

    CountingDataSource(DataSource target) {
        this.target = target;
    }

    /** Statements executed so far. */
    int executions() {
        return executions.get();
    }

    /** The counting data source. */
    DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    return result instanceof Connection con ? connection(con) : result;
                });
    }

    private Connection connection(Connection con) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(con, method, args);
                    if (result instanceof PreparedStatement ps) {
                        return statement(ps, PreparedStatement.class);
                    }
                    return result instanceof Statement st ? statement(st, Statement.class) : result;
                });
    }

    private Object statement(Statement st, Class<? extends Statement> type) {
        AtomicInteger batched = new AtomicInteger();
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("addBatch")) {
                batched.incrementAndGet();
            } else if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                executions.addAndGet(batched.getAndSet(0));
            } else if (name.startsWith("execute")) {
                executions.incrementAndGet();
            }
            return invoke(st, method, args);
        };
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
