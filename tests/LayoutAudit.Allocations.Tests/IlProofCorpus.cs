using System.Collections.Generic;
using System.Linq;

namespace LayoutAudit.Allocations.Tests
{
    /// <summary>The IL proof's corpus: for every rule, code that allocates and the non-allocating look-alikes.</summary>
    internal static class IlProofCorpus
    {
        public static IReadOnlyList<Snippet> All { get; } = Boxing()
            .Concat(Closures()).Concat(Delegates()).Concat(Params()).Concat(Enumerators()).Concat(Strings())
            .Concat(StateMachines()).Concat(Linq()).Concat(HiddenObjects()).Concat(ExplicitNew())
            .ToList();

        private static Snippet S(string name, string code, string? knownGap = null) => new(name, code, knownGap);

        private static IEnumerable<Snippet> Boxing() => new[]
        {
            S("BoxToObjectLocal", "public object M(int i) { object o = i; return o; }"),
            S("BoxReturn", "public object M(int i) => i;"),
            S("BoxToInterface", "public IComparable M(int i) { IComparable c = i; return c; }"),
            S("BoxStructToInterface", "public int M(Square s) { IShape shape = s; return shape.Area(); }"),
            S("BoxArgument", "public void M(int i) => Use(i);"),
            S("BoxEnumToEnum", "public Enum M(Color c) => c;"),
            S("BoxToValueType", "public ValueType M(Point p) => p;"),
            S("BoxNullable", "public object? M(int? n) => n;"),
            S("BoxCast", "public object M(long l) => (object)l;"),
            S("BoxGenericToObject", "public object? M<T>(T value) => value;"),
            S("BoxParamsObject", "public void M(int a, double b) => Many(a, b);"),
            S("BoxConsoleFormat", "public void M(int i) => Console.WriteLine(\"{0} {1}\", i, i);"),
            S("BoxStringFormat", "public string M(int i) => string.Format(\"{0}\", i);"),
            S("BoxGetType", "public Type M(Point p) => p.GetType();"),
            S("BoxInheritedToString", "public string M(Point p) => p.ToString();"),
            S("BoxInheritedGetHashCode", "public int M(Point p) => p.GetHashCode();"),
            S("BoxInheritedEquals", "public bool M(Point p, Point q) => p.Equals(q);"),
            S("BoxEnumToString", "public string M(Color c) => c.ToString();"),
            S("BoxStructMethodGroup", "public Func<int> M(Point p) => p.Sum;"),
            S("BoxConcatStruct", "public string M(string s, Point p) => s + p;"),
            S("BoxArrayOfObjects", "public object[] M(int i) => new object[] { i, 2 };"),
            S("BoxAssignField", "private object? _o; public void M(int i) { _o = i; }"),
            S("BoxFormattable", "public FormattableString M(int i) => $\"{i}\";"),
            S("BoxDictionaryOfObject", "public void M(Dictionary<string, object> d, int i) { d[\"k\"] = i; }"),
            S("BoxTernary", "public object M(bool b, int i) => b ? i : \"s\";"),
            // look-alikes that do not box
            S("NoBoxOverriddenToString", "public string M(Named n) => n.ToString();"),
            S("NoBoxOverriddenGetHashCode", "public int M(Named n) => n.GetHashCode();"),
            S("NoBoxConstrainedCall", "public int M<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b);"),
            S("NoBoxConstrainedInterface", "public int M<T>(T shape) where T : IShape => shape.Area();"),
            S("NoBoxGenericNullTest", "public bool M<T>(T value) => value == null;"),
            S("NoBoxGenericTypeTest", "public bool M<T>(T value) => value is IDisposable;"),
            S("NoBoxHasFlag", "public bool M(Color c) => c.HasFlag(Color.Red);"),
            S("NoBoxGenericCall", "public void M(int i) => UseT(i);"),
            S("NoBoxIntToString", "public string M(int i) => i.ToString();"),
            S("NoBoxConsoleInt", "public void M(int i) => Console.WriteLine(i);"),
            S("NoBoxInterpolatedString", "public string M(int i, Point p) => $\"{i} {p.X}\";"),
            S("NoBoxStructUsing", "public void M(System.Threading.CancellationTokenRegistration r) { using (r) { } }"),
            S("NoBoxUnbox", "public int M(object o) => (int)o;"),
            S("NoBoxTuple", "public (int, int) M(int a) => (a, a);"),
            S("NoBoxStringToObject", "public object M(string s) => s;"),
            S("NoBoxEquatable", "public bool M(int a, int b) => a.Equals(b);"),
            S("NoBoxConcatInt", "public string M(string s, int i) => s + \"!\";"),
        };

        private static IEnumerable<Snippet> Closures() => new[]
        {
            S("ClosureParameter", "public Func<int> M(int p) => () => p;"),
            S("ClosureLocal", "public Func<int> M() { int x = 1; UseT(x); return () => x; }"),
            S("ClosureThisAndLocal", "public Func<int> M(int p) { return () => p + Field; }"),
            S("ClosureInIfBlock", "public void M(bool c) { UseT(c); if (c) { int y = 2; Func<int> f = () => y; UseT(f); } }"),
            S("ClosureMergedScopes", "public void M(bool c) { int x = 1; UseT(x); if (c) { int y = 2; Func<int> f = () => x + y; UseT(f); } }"),
            S("ClosureSeparateScopes", "public void M(bool c) { int x = 1; Func<int> g = () => x; UseT(g); if (c) { int y = 2; Func<int> f = () => y; UseT(f); } }"),
            S("ClosureInLoopBody", "public void M(int n) { for (int i = 0; i < n; i++) { int j = i; Func<int> f = () => j; UseT(f); } }"),
            S("ClosureForVariable", "public void M(int n) { UseT(n); for (int i = 0; i < n; i++) { Func<int> f = () => i; UseT(f); } }"),
            S("ClosureForEachVariable", "public void M(List<int> list) { foreach (var x in list) { Func<int> f = () => x; UseT(f); } }"),
            S("ClosureLoopAndMethod", "public void M(int n) { int a = 0; while (a < n) { int y = a++; Func<int> f = () => y + n; UseT(f); } }"),
            S("ClosureSwitchSection", "public void M(object o) { UseT(o); switch (o) { case int k: Func<int> f = () => k; UseT(f); break; } }"),
            S("ClosureCatch", "public void M() { try { UseT(1); } catch (Exception ex) { Func<Exception> g = () => ex; UseT(g); } }"),
            S("ClosureNestedLambda", "public Func<Func<int>> M(int p) => () => { int q = p; return () => q; };"),
            S("ClosureLocalFunctionToDelegate", "public Action M(int p) { void Local() => UseT(p); return Local; }"),
            S("ClosureLocalFunctionUsedByLambda", "public Func<int> M(int p) { int Local() => p; return () => Local(); }"),
            S("ClosureAnonymousMethod", "public Func<int> M(int p) => delegate { return p; };"),
            S("ClosureNeverRuns", "public void M(bool c, int p) { if (c) { Run(() => UseT(p)); } }"),
            // look-alikes without a display class
            S("NoClosureLocalFunctionCalled", "public int M(int p) { return Local(); int Local() => p + 1; }"),
            S("NoClosureThisOnly", "public Func<int> M() => () => Field;"),
            S("NoClosureStaticLambda", "public Func<int, int> M() => static x => x + 1;"),
            S("NoClosureLambdaOwnLocals", "public Func<int, int> M() => x => { int y = x * 2; return y; };"),
        };

        private static IEnumerable<Snippet> Delegates() => new[]
        {
            S("DelegateCapturingLambda", "public void M(int p) => Run(() => UseT(p));"),
            S("DelegateThisLambda", "public Func<int> M() => () => Field;"),
            S("DelegateInstanceMethodGroup", "public Func<int, int> M() => Instance;"),
            S("DelegateExplicitNewStatic", "public Func<int, int> M() => new Func<int, int>(Static);"),
            S("DelegateLocalFunctionNotStatic", "public Action M() { void Local() { } return Local; }"),
            S("DelegateExtensionMethodGroup", "public Func<int> M(IEnumerable<int> items) => items.Count;"),
            S("DelegateFromDelegate", "public Action M(Action a) => new Action(a);"),
            S("DelegateInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { Run(() => UseT(this)); } }"),
            // cached by the compiler
            S("NoDelegateStaticLambda", "public Func<int> M() => static () => 1;"),
            S("NoDelegateNonCapturingLambda", "public Func<int, int> M() => x => x + 1;"),
            S("NoDelegateStaticMethodGroup", "public Func<int, int> M() => Static;"),
            S("NoDelegateStaticLocalFunction", "public Action M() { static void Local() { } return Local; }"),
            S("NoDelegateGenericStaticMethodGroup", "public Func<int> M() => Make<int>; static T Make<T>() => default!;"),
            S("NoDelegateNonCapturingInGeneric", "public Func<T, T> M<T>() => x => x;"),
        };

        private static IEnumerable<Snippet> Params() => new[]
        {
            S("ParamsOne", "public void M() => Ints(1);"),
            S("ParamsMany", "public void M(int a) => Ints(a, 2, 3);"),
            S("ParamsObjects", "public void M(string s) => Many(s, s);"),
            S("ParamsInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { Ints(i); } }"),
            S("ParamsStringJoinObjects", "public string M(object a, object b) => string.Join(\",\", new List<object> { a, b }.ToArray());"),
            // no array
            S("NoParamsEmpty", "public void M() => Ints();"),
            S("NoParamsArrayPassed", "public void M(int[] values) => Ints(values);"),
            S("NoParamsSpan", "public void M(int a) => IntSpan(a, 2);"),
            S("NoParamsSpanEmpty", "public void M() => IntSpan();"),
            S("NoParamsConsoleSpan", "public void M(string a) => Console.WriteLine(\"{0}{1}{2}{3}\", a, a, a, a);"),
        };

        private static IEnumerable<Snippet> Enumerators() => new[]
        {
            S("EnumeratorIEnumerable", "public int M(IEnumerable<int> items) { int s = 0; foreach (var x in items) { s += x; } return s; }"),
            S("EnumeratorIList", "public int M(IList<int> items) { int s = 0; foreach (var x in items) { s += x; } return s; }"),
            S("EnumeratorIReadOnlyCollection", "public int M(IReadOnlyCollection<int> items) { int s = 0; foreach (var x in items) { s += x; } return s; }"),
            S("EnumeratorNonGeneric", "public int M(IEnumerable items) { int s = 0; foreach (var x in items) { s++; } return s; }"),
            S("EnumeratorExplicitCall", "public IEnumerator<int> M(IEnumerable<int> items) => items.GetEnumerator();"),
            S("EnumeratorDictionaryValuesInterface", "public int M(IDictionary<int, int> d) { int s = 0; foreach (var pair in d) { s += pair.Value; } return s; }"),
            // struct enumerators
            S("NoEnumeratorList", "public int M(List<int> items) { int s = 0; foreach (var x in items) { s += x; } return s; }"),
            S("NoEnumeratorArray", "public int M(int[] items) { int s = 0; foreach (var x in items) { s += x; } return s; }"),
            S("NoEnumeratorSpan", "public int M(ReadOnlySpan<int> items) { int s = 0; foreach (var x in items) { s += x; } return s; }"),
            S("NoEnumeratorString", "public int M(string text) { int s = 0; foreach (var c in text) { s += c; } return s; }"),
            S("NoEnumeratorDictionary", "public int M(Dictionary<int, int> d) { int s = 0; foreach (var pair in d) { s += pair.Value; } return s; }"),
            S("NoEnumeratorHashSet", "public int M(HashSet<int> set) { int s = 0; foreach (var x in set) { s += x; } return s; }"),
        };

        private static IEnumerable<Snippet> Strings() => new[]
        {
            S("StringConcatTwo", "public string M(string a, string b) => a + b;"),
            S("StringConcatInt", "public string M(string a, int i) => a + i;"),
            S("StringConcatSix", "public string M(string a, string b) => a + b + a + b + a + b;"),
            S("StringConcatChar", "public string M(string a, char c) => a + c;"),
            S("StringConcatObject", "public string M(string a, object o) => a + o;"),
            S("StringCompound", "public string M(string a, string b) { a += b; return a; }"),
            S("StringInterpolationHandler", "public string M(int i) => $\"x{i}y\";"),
            S("StringInterpolationStrings", "public string M(string a, string b) => $\"{a}{b}\";"),
            S("StringFormat", "public string M(string a) => string.Format(\"{0}!\", a);"),
            S("StringJoin", "public string M(List<string> parts) => string.Join(\",\", parts);"),
            S("StringConcatCall", "public string M(string a, string b) => string.Concat(a, b);"),
            S("StringToStringInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { UseT(i.ToString()); } }"),
            S("StringConcatInLoop", "public string M(string[] parts) { string s = \"\"; foreach (var p in parts) { s += p; } return s; }"),
            // no new string
            S("NoStringConstants", "public string M() => \"a\" + \"b\";"),
            S("NoStringConstInterpolation", "public string M() { const string a = \"a\"; return $\"{a}b\"; }"),
            S("NoStringToStringOutsideLoop", "public string M(int i) => i.ToString();"),
            S("NoStringSpanInterpolation", "public bool M(Span<char> buffer, int i) => buffer.TryWrite($\"{i}\", out _);"),
            S("NoStringBuilderAppend", "public void M(StringBuilder sb, int i) => sb.Append(i);"),
            S("NoStringBuilderInterpolation", "public void M(StringBuilder sb, int i) => sb.Append($\"x{i}\");"),
        };

        private static IEnumerable<Snippet> StateMachines() => new[]
        {
            S("IteratorMethod", "public IEnumerable<int> M(int n) { for (int i = 0; i < n; i++) { yield return i; } }"),
            S("IteratorLocalFunction", "public IEnumerable<int> M(int n) { return Numbers(); IEnumerable<int> Numbers() { yield return n; } }"),
            S("AsyncMethod", "public async Task M() { await Task.Yield(); }"),
            S("AsyncValueTask", "public async ValueTask<int> M(Task<int> t) => await t;"),
            S("AsyncLambda", "public Func<Task> M() => async () => await Task.Yield();"),
            S("NoStateMachineAsyncWithoutAwait", "#pragma warning disable CS1998\npublic async Task M() { }\n#pragma warning restore CS1998"),
            S("NoStateMachineTaskReturning", "public Task M() => Task.CompletedTask;"),
        };

        private static IEnumerable<Snippet> Linq() => new[]
        {
            S("LinqWhere", "public IEnumerable<int> M(List<int> l) => l.Where(x => x > 0);"),
            S("LinqChain", "public List<int> M(int[] a) => a.Where(x => x > 0).Select(x => x * 2).ToList();"),
            S("LinqSum", "public int M(IEnumerable<int> e) => e.Sum();"),
            S("LinqCapturing", "public int M(List<int> l, int min) => l.Count(x => x > min);"),
            S("LinqQuerySyntax", "public IEnumerable<int> M(int[] a) => from x in a where x > 1 select x * 2;"),
            S("LinqFirstOnEnumerable", "public int M(IEnumerable<int> e) => e.First();"),
            S("NoLinqListMethods", "public int M(List<int> l) => l.Count + l.IndexOf(3);"),
        };

        private static IEnumerable<Snippet> HiddenObjects() => new[]
        {
            S("AnonymousType", "public object M(int i) { var a = new { A = i }; return a; }"),
            S("CollectionArray", "public int[] M(int a) => [a, 2, 3];"),
            S("CollectionList", "public List<int> M(int a) => [a, 2];"),
            S("CollectionHashSet", "public HashSet<int> M(int a) => [a];"),
            S("CollectionEnumerableMany", "public IEnumerable<int> M(int a) => [a, 2];"),
            S("CollectionReadOnlyListOne", "public IReadOnlyList<int> M(int a) => [a];"),
            S("CollectionICollection", "public ICollection<int> M(int a) => [a];"),
            S("CollectionEmptyList", "public List<int> M() => [];"),
            S("CollectionListSpread", "public List<int> M(int[] a) => [..a, 1];"),
            // no heap collection
            S("NoCollectionEmptyArray", "public int[] M() => [];"),
            S("NoCollectionEmptyEnumerable", "public IEnumerable<int> M() => [];"),
            S("NoCollectionSpan", "public int M(int a) { ReadOnlySpan<int> s = [a, 2, 3]; return s[0] + s.Length; }"),
            S("NoCollectionConstantSpan", "public int M() { ReadOnlySpan<int> s = [1, 2, 3]; return s[1]; }"),
            S("NoAnonymousTuple", "public (int A, int B) M(int i) => (A: i, B: i);"),
        };

        private static IEnumerable<Snippet> ExplicitNew() => new[]
        {
            S("NewObjectInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { UseT(new object()); } }"),
            S("NewArrayInLoop", "public void M(int n) { int i = 0; while (i++ < n) { UseT(new int[4]); } }"),
            S("NewListInForEach", "public void M(int[] a) { foreach (var x in a) { UseT(new List<int>(x)); } }"),
            S("NewInDoWhile", "public void M(int n) { do { UseT(new StringBuilder()); } while (--n > 0); }"),
            S("NewOutsideLoop", "public List<int> M() => new List<int>();"),
            S("NewArrayOutsideLoop", "public int[] M(int n) => new int[n];"),
            S("NewTargetTyped", "public Node M() { Node n = new(); return n; }"),
            S("NewInForInitializer", "public int M(int n) { int s = 0; for (var l = new List<int>(); s < n; s++) { l.Add(s); } return s; }"),
            S("NewStringInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { UseT(new string('x', i)); } }"),
            S("NewInLambdaInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { Run(static () => UseT(new object())); } }"),
            // no heap object
            S("NoNewStruct", "public Point M() => new Point { X = 1 };"),
            S("NoNewStructInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { UseT(new Point()); } }"),
            S("NoNewThrow", "public void M(int n) { if (n < 0) throw new ArgumentException(\"n\"); }"),
            S("NoNewStackalloc", "public int M() { Span<int> s = stackalloc int[4]; return s.Length; }"),
        };
    }
}
