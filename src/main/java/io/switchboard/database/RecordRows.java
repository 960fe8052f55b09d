package io.switchboard.database;

import java.lang.reflect.Constructor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.springframework.beans.BeanUtils;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * Rows as records, each constructor parameter read from the column of its snake_case name ({@code createdAt} from
 * {@code created_at}) and converted as {@code JdbcClient.query(Class)} converts it. That one asks the result set for
 * the camelCase name first and, since our columns are snake_case, pays a {@link SQLException} with its stack trace
 * for every such parameter of every row (a page of 25 contacts: 150 exceptions); this asks for the snake_case name
 * first, and reads an {@link Instant} as the driver can. One mapper per record type, kept: it holds no state of a
 * query.
 */
public final class RecordRows<T> implements RowMapper<T> {

    private static final ClassValue<RecordRows<?>> MAPPERS = new ClassValue<>() {
        @Override
        protected RecordRows<?> computeValue(Class<?> type) {
            return new RecordRows<>(type);
        }
    };

    private final Constructor<T> constructor;
    private final String[] columns;
    private final String[] parameterNames;
    private final TypeDescriptor[] types;
    private final ConversionService conversion = DefaultConversionService.getSharedInstance();

    private RecordRows(Class<T> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        this.constructor = BeanUtils.getResolvableConstructor(type);
        this.parameterNames = BeanUtils.getParameterNames(constructor);
        this.columns = new String[parameterNames.length];
        this.types = new TypeDescriptor[parameterNames.length];
        for (int i = 0; i < parameterNames.length; i++) {
            columns[i] = JdbcUtils.convertPropertyNameToUnderscoreName(parameterNames[i]);
            types[i] = new TypeDescriptor(new MethodParameter(constructor, i));
        }
    }

    /** The mapper for rows of {@code type}, a record whose components are the query's columns. */
    @SuppressWarnings("unchecked")
    public static <T> RowMapper<T> of(Class<T> type) {
        return (RowMapper<T>) MAPPERS.get(type);
    }

    @Override
    public T mapRow(ResultSet rs, int rowNumber) throws SQLException {
        Object[] args = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            args[i] = conversion.convert(value(rs, column(rs, i), types[i].getType()), types[i]);
        }
        return BeanUtils.instantiateClass(constructor, args);
    }

    /** The driver has no {@link Instant} (asked for one, it throws, and Spring falls back): read as a date-time with offset. */
    private static Object value(ResultSet rs, int column, Class<?> type) throws SQLException {
        if (type == Instant.class) {
            OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
            return at == null ? null : at.toInstant();
        }
        return JdbcUtils.getResultSetValue(rs, column, type);
    }

    private int column(ResultSet rs, int parameter) throws SQLException {
        try {
            return rs.findColumn(columns[parameter]);
        } catch (SQLException notSnakeCase) {
            // a column aliased to the component's own name
            return rs.findColumn(parameterNames[parameter]);
        }
    }
}
