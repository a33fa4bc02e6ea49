#pragma once
// The ${...} expressions of scenario text (docs/scenario-format.md, "Values"): a variable
// (${user.login}) or a value function with arguments (${base64:user.password},
// ${repeat:'x',10000}, ${sasl-plain:user}). This header only parses and describes them; the engine
// evaluates them (engine/values.hpp). No I/O, no dependency on the XML loader.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::harness::model {

// One argument of a value function: a variable name (user.password), a quoted literal ('x', no
// quote inside), or a decimal number (10000). For functions that take a user, the variable form
// names a target user id (user, user2).
struct ValueArgument {
    enum class Kind { variable, literal, number };
    Kind kind = Kind::variable;
    std::string text;  // the name, the literal's content, or the digits
};

// A parsed ${...}: `function` is empty for a plain variable (then args has one variable).
struct ValueExpression {
    std::string function;
    std::vector<ValueArgument> args;
    std::string source;  // the text between ${ and }
};

// What a value function accepts and what it means; the table is the single list of functions.
struct ValueFunctionSpec {
    std::string_view name;
    std::size_t min_args;
    std::size_t max_args;
    bool first_is_user;  // the first argument names a target user id (not a variable)
    std::string_view usage;  // e.g. "${sasl-plain:USER[,PASSWORD]}"
};
const std::vector<ValueFunctionSpec>& value_functions();
const ValueFunctionSpec* find_value_function(std::string_view name);

// A text split into literal runs and expressions. "$$" is a literal '$'; "${" without a closing
// "}" is literal text (as it always was).
struct TextPart {
    std::string literal;                    // used when !expression
    std::optional<ValueExpression> expression;
};

// Parses `text`. Returns the parts, or nullopt with `error` describing the first malformed
// expression (unknown function, wrong number or kind of arguments, bad quoting).
std::optional<std::vector<TextPart>> parse_value_text(std::string_view text, std::string& error);

// The variables an expression reads: a plain variable itself; the variable arguments of a
// function; for a user argument ID, ID.login and ID.password (what SASL computes from).
std::vector<std::string> variables_of(const ValueExpression& expression);

}  // namespace mailspec::harness::model
