package io.lookout.gateway.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One case-insensitive pattern in the syntax of Relay's {@code relay-pattern} crate: {@code ?} one
 * character, {@code *} any run of characters (newlines too, no path separators), {@code [abc]},
 * {@code [a-z]}, {@code [!a-z]} classes, {@code {a,b}} alternatives (not nested), and {@code \} to
 * escape. {@code !} outside a class is a literal. The empty pattern matches nothing. As in Relay,
 * an unclosed brace drops the rest of the pattern instead of refusing it.
 *
 * <p>Compiled once; {@link #matches} is linear in the subject times the pattern (a literal, prefix,
 * suffix or contains check for the common shapes, else a simulation of the pattern's automaton), so
 * no pattern can make matching take exponential time.
 */
final class Glob {

  private static final int LITERAL = 0;
  private static final int ANY = 1;
  private static final int WILDCARD = 2;
  private static final int CLASS = 3;
  private static final int ALTERNATES = 4;

  private enum Strategy { NEVER, ALWAYS, LITERAL, PREFIX, SUFFIX, CONTAINS, AUTOMATON }

  private final String pattern;
  private final Strategy strategy;
  private final String literal;
  private final Program program;

  private Glob(String pattern, Strategy strategy, String literal, Program program) {
    this.pattern = pattern;
    this.strategy = strategy;
    this.literal = literal;
    this.program = program;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException for the patterns Relay refuses: unbalanced or nested brackets
   *     and braces, a reversed range, a dangling escape
   */
  static Glob compile(String pattern) {
    List<Token> tokens = new Parser(pattern).parse();
    Strategy strategy;
    String literal = null;
    int n = tokens.size();
    if (n == 0) {
      strategy = Strategy.NEVER;
    } else if (n == 1 && tokens.get(0).kind == WILDCARD) {
      strategy = Strategy.ALWAYS;
    } else if (n == 1 && tokens.get(0).kind == LITERAL) {
      strategy = Strategy.LITERAL;
      literal = tokens.get(0).text;
    } else if (n == 2 && tokens.get(0).kind == LITERAL && tokens.get(1).kind == WILDCARD) {
      strategy = Strategy.PREFIX;
      literal = tokens.get(0).text;
    } else if (n == 2 && tokens.get(0).kind == WILDCARD && tokens.get(1).kind == LITERAL) {
      strategy = Strategy.SUFFIX;
      literal = tokens.get(1).text;
    } else if (n == 3 && tokens.get(0).kind == WILDCARD && tokens.get(1).kind == LITERAL
        && tokens.get(2).kind == WILDCARD) {
      strategy = Strategy.CONTAINS;
      literal = tokens.get(1).text;
    } else {
      strategy = Strategy.AUTOMATON;
    }
    return new Glob(pattern, strategy, literal,
        strategy == Strategy.AUTOMATON ? Program.compile(tokens) : null);
  }

  /** Whether the pattern matches all of {@code lowered}, a subject already lower-cased. */
  boolean matches(String lowered) {
    return switch (strategy) {
      case NEVER -> false;
      case ALWAYS -> true;
      case LITERAL -> lowered.equals(literal);
      case PREFIX -> lowered.startsWith(literal);
      case SUFFIX -> lowered.endsWith(literal);
      case CONTAINS -> lowered.contains(literal);
      case AUTOMATON -> program.matches(lowered);
    };
  }

  /** Lower-cases a subject the way patterns are lower-cased. */
  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return pattern;
  }

  /** A parsed token; literals are lower-cased, class bounds kept as written. */
  private static final class Token {
    final int kind;
    String text;
    boolean negated;
    List<int[]> ranges;
    List<List<Token>> alternates;

    Token(int kind) {
      this.kind = kind;
    }

    static Token literal(String text) {
      Token t = new Token(LITERAL);
      t.text = text;
      return t;
    }
  }

  /** The parser of {@code relay-pattern}, error for error, with its token folding. */
  private static final class Parser {
    private final String pattern;
    private int pos;
    private final List<Token> tokens = new ArrayList<>();
    private List<List<Token>> alternates;
    private StringBuilder currentLiteral;

    Parser(String pattern) {
      this.pattern = pattern;
    }

    List<Token> parse() {
      while (pos < pattern.length()) {
        int c = advance();
        switch (c) {
          case '?' -> push(new Token(ANY));
          case '*' -> push(new Token(WILDCARD));
          case '[' -> parseClass();
          case ']' -> throw error("Unbalanced character class");
          case '{' -> startAlternates();
          case '}' -> endAlternates();
          case '\\' -> {
            if (pos >= pattern.length()) {
              throw error("Dangling escape");
            }
            pushLiteral(advance());
          }
          case ',' -> {
            if (alternates != null) {
              finishLiteral();
              alternates.add(new ArrayList<>());
            } else {
              pushLiteral(c);
            }
          }
          default -> pushLiteral(c);
        }
      }
      // Relay does not refuse an unclosed "{": whatever followed it is silently dropped
      // ("*token {x" matches like "*token "). Kept, so that a pasted config filters the same.
      finishLiteral();
      return tokens;
    }

    private int advance() {
      int c = pattern.codePointAt(pos);
      pos += Character.charCount(c);
      return c;
    }

    private void startAlternates() {
      if (alternates != null) {
        throw error("Nested alternates");
      }
      finishLiteral();
      alternates = new ArrayList<>();
    }

    private void endAlternates() {
      finishLiteral();
      if (alternates == null) {
        throw error("Unbalanced alternates");
      }
      Token token = new Token(ALTERNATES);
      token.alternates = alternates;
      alternates = null;
      push(token);
    }

    private void parseClass() {
      boolean negated = false;
      if (pos < pattern.length() && pattern.charAt(pos) == '!') {
        negated = true;
        pos++;
      }
      List<int[]> ranges = new ArrayList<>();
      boolean first = true;
      boolean inRange = false;
      while (true) {
        if (pos >= pattern.length()) {
          throw error("Unbalanced character class");
        }
        int c = advance();
        if (c == '[') {
          throw error("Invalid character class");
        }
        if (c == ']') {
          break;
        }
        if (c == '-') {
          if (first) {
            ranges.add(new int[] {'-', '-'});
          } else if (inRange) {
            setEnd(ranges, '-');
            inRange = false;
          } else {
            inRange = true;
          }
        } else {
          if (c == '\\') {
            if (pos >= pattern.length()) {
              throw error("Dangling escape");
            }
            c = advance();
          }
          if (inRange) {
            setEnd(ranges, c);
            inRange = false;
          } else {
            ranges.add(new int[] {c, c});
          }
        }
        first = false;
      }
      if (inRange) {
        ranges.add(new int[] {'-', '-'});
      }
      Token token = new Token(CLASS);
      token.negated = negated;
      token.ranges = ranges;
      push(token);
    }

    private void setEnd(List<int[]> ranges, int end) {
      int[] last = ranges.get(ranges.size() - 1);
      if (last[0] > end) {
        throw error("Invalid character range");
      }
      last[1] = end;
    }

    private void pushLiteral(int c) {
      if (currentLiteral == null) {
        currentLiteral = new StringBuilder();
      }
      currentLiteral.appendCodePoint(c);
    }

    private void finishLiteral() {
      if (currentLiteral != null) {
        String text = lower(currentLiteral.toString());
        currentLiteral = null;
        push(Token.literal(text));
      }
    }

    private void push(Token token) {
      if (token.kind != LITERAL) {
        finishLiteral();
      }
      if (alternates != null) {
        if (alternates.isEmpty()) {
          alternates.add(new ArrayList<>());
        }
        fold(alternates.get(alternates.size() - 1), token);
      } else {
        fold(tokens, token);
      }
    }

    /** {@code Tokens::push}: drops empty classes and empty alternatives, merges runs. */
    private static void fold(List<Token> list, Token token) {
      if (token.kind == ALTERNATES) {
        boolean wildcard = false;
        token.alternates.removeIf(List::isEmpty);
        for (List<Token> alternative : token.alternates) {
          wildcard |= alternative.size() == 1 && alternative.get(0).kind == WILDCARD;
        }
        if (wildcard) {
          token = new Token(WILDCARD);
        }
      }
      Token last = list.isEmpty() ? null : list.get(list.size() - 1);
      if (token.kind == CLASS && token.ranges.isEmpty()) {
        return;
      }
      if (last != null && last.kind == WILDCARD && token.kind == WILDCARD) {
        return;
      }
      if (last != null && last.kind == LITERAL && token.kind == LITERAL) {
        last.text = last.text + token.text;
        return;
      }
      list.add(token);
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("Error parsing pattern '" + pattern + "': " + what);
    }
  }

  /**
   * The pattern as a small automaton: one instruction per character to match, a self-looping
   * state per {@code *}, and forks for alternatives. Simulated on the set of live states, so the
   * work is (subject length) x (instructions).
   */
  private static final class Program {
    private static final int OP_CHAR = 0;
    private static final int OP_ANY = 1;
    private static final int OP_CLASS = 2;
    private static final int OP_STAR = 3;
    private static final int OP_SPLIT = 4;
    private static final int OP_JUMP = 5;
    private static final int OP_MATCH = 6;

    private final List<Instruction> code = new ArrayList<>();

    private record Instruction(int op, int ch, Token cls, int[] targets) {
    }

    static Program compile(List<Token> tokens) {
      Program program = new Program();
      program.emit(tokens);
      program.code.add(new Instruction(OP_MATCH, 0, null, null));
      return program;
    }

    private void emit(List<Token> tokens) {
      for (Token token : tokens) {
        switch (token.kind) {
          case LITERAL -> token.text.codePoints()
              .forEach(c -> code.add(new Instruction(OP_CHAR, c, null, null)));
          case ANY -> code.add(new Instruction(OP_ANY, 0, null, null));
          case WILDCARD -> code.add(new Instruction(OP_STAR, 0, null, null));
          case CLASS -> code.add(new Instruction(OP_CLASS, 0, token, null));
          case ALTERNATES -> emitAlternates(token.alternates);
          default -> throw new IllegalStateException("token " + token.kind);
        }
      }
    }

    private void emitAlternates(List<List<Token>> alternatives) {
      int[] targets = new int[alternatives.size()];
      code.add(new Instruction(OP_SPLIT, 0, null, targets));
      List<Integer> jumps = new ArrayList<>();
      for (int i = 0; i < alternatives.size(); i++) {
        targets[i] = code.size();
        emit(alternatives.get(i));
        jumps.add(code.size());
        code.add(null); // patched below
      }
      int end = code.size();
      for (int jump : jumps) {
        code.set(jump, new Instruction(OP_JUMP, 0, null, new int[] {end}));
      }
      // "{}" leaves a split without targets: a dead end, as in Relay, where it matches nothing.
    }

    boolean matches(String subject) {
      int size = code.size();
      boolean[] current = new boolean[size];
      boolean[] next = new boolean[size];
      int[] stack = new int[size];
      addState(current, stack, 0);
      int pos = 0;
      while (pos < subject.length()) {
        int c = subject.codePointAt(pos);
        pos += Character.charCount(c);
        Arrays.fill(next, false);
        boolean any = false;
        for (int pc = 0; pc < size; pc++) {
          if (!current[pc]) {
            continue;
          }
          Instruction in = code.get(pc);
          boolean step = switch (in.op) {
            case OP_CHAR -> in.ch == c;
            case OP_ANY -> true;
            case OP_CLASS -> classMatches(in.cls, c);
            default -> false;
          };
          if (in.op == OP_STAR) {
            addState(next, stack, pc);
            any = true;
          } else if (step) {
            addState(next, stack, pc + 1);
            any = true;
          }
        }
        if (!any) {
          return false;
        }
        boolean[] swap = current;
        current = next;
        next = swap;
      }
      return current[size - 1];
    }

    /** Adds a state and everything reachable from it without consuming a character. */
    private void addState(boolean[] states, int[] stack, int start) {
      if (states[start]) {
        return;
      }
      states[start] = true;
      int top = 0;
      stack[top++] = start;
      while (top > 0) {
        Instruction in = code.get(stack[--top]);
        int pc = stack[top];
        switch (in.op) {
          case OP_STAR -> top = push(states, stack, top, pc + 1);
          case OP_JUMP -> top = push(states, stack, top, in.targets[0]);
          case OP_SPLIT -> {
            for (int target : in.targets) {
              top = push(states, stack, top, target);
            }
          }
          default -> {
            // consumes a character: nothing more to add
          }
        }
      }
    }

    /** Pushes a state not yet live; each state is pushed at most once, so the stack never overflows. */
    private static int push(boolean[] states, int[] stack, int top, int pc) {
      if (!states[pc]) {
        states[pc] = true;
        stack[top++] = pc;
      }
      return top;
    }

    private static boolean classMatches(Token cls, int c) {
      boolean in = contains(cls.ranges, c)
          || contains(cls.ranges, Character.toUpperCase(c))
          || contains(cls.ranges, Character.toLowerCase(c))
          || contains(cls.ranges, Character.toTitleCase(c));
      return in != cls.negated;
    }

    private static boolean contains(List<int[]> ranges, int c) {
      for (int[] range : ranges) {
        if (range[0] <= c && c <= range[1]) {
          return true;
        }
      }
      return false;
    }
  }
}
