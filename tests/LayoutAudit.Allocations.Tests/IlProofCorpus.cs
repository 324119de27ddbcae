using System.Collections.Generic;
using System.Linq;

namespace LayoutAudit.Allocations.Tests
{
    /// <summary>The IL proof's corpus: for every rule, code that allocates and the non-allocating look-alikes.</summary>
    internal static class IlProofCorpus
    {
        public static IReadOnlyList<Snippet> All { get; } = Boxing()
            .Concat(Closures()).Concat(Delegates()).Concat(Params()).Concat(Enumerators()).Concat(Strings())
            .Concat(StateMachines()).Concat(Linq()).Concat(HiddenObjects()).Concat(ExplicitNew()).Concat(Mixed())
            .ToList();

        private static Snippet S(string name, string code, string? knownGap = null) => new(name, code, knownGap);

        /// <summary>More shapes of every rule, several allocations per statement, and real-looking methods.</summary>
        private static IEnumerable<Snippet> Mixed() => new[]
        {
            // boxing in more positions
            S("BoxInObjectInitializerArray", "public object[] M(int a, long b) => new object[] { a, b, \"c\" };"),
            S("BoxListOfObjectAdd", "public void M(List<object> l, double d) => l.Add(d);"),
            S("BoxIComparableArgument", "public int M(int a, int b) => Comparer.Default.Compare(a, b);"),
            S("BoxEqualsObjectArgument", "public bool M(object o, int i) => o.Equals(i);"),
            S("BoxReferenceEquals", "public bool M(int a) => ReferenceEquals(a, a);"),
            S("BoxEnumToObjectArgument", "public void M(Color c) => Use(c);"),
            S("BoxCharToObject", "public object M(char c) => c;"),
            S("BoxBoolToObject", "public object M(bool b) => b;"),
            S("BoxDecimalToObject", "public object M(decimal d) => d;"),
            S("BoxStructToIEquatable", "public IEquatable<int> M(int i) => i;"),
            S("BoxGenericToInterface", "public IComparable? M<T>(T value) where T : IComparable => value;"),
            S("BoxStructConstrainedToObject", "public object M<T>(T value) where T : struct => value;"),
            S("BoxSwitchExpressionArm", "public object M(int i) => i switch { 0 => \"zero\", _ => i };"),
            S("BoxNullCoalescing", "public object M(object? o, int i) => o ?? i;"),
            S("BoxInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { Use(i); } }"),
            S("BoxInLambda", "public Action M() => static () => Use(42);"),
            S("BoxPropertyOfInterface", "public int M(Square s) => ((IShape)s).Area();"),
            S("BoxTwoInOneStatement", "public void M(int a, int b) { Use(a); Use(b); }"),
            S("BoxTupleToObject", "public object M(int a) => (a, a);"),
            S("BoxKeyValuePairToString", "public string M(KeyValuePair<int, int> pair) => pair.ToString();"),
            S("BoxDateTimeToObject", "public object M(DateTime d) => d;"),
            S("BoxGuidFormat", "public string M(Guid g) => string.Format(\"{0}\", g);"),
            S("BoxStructGetTypeInLoop", "public void M(Point[] points) { foreach (var p in points) { UseT(p.GetType()); } }"),
            S("BoxNullableGetType", "public Type M(int? n) => n.GetType();"),
            S("BoxEnumGetHashCode", "public int M(Color c) => c.GetHashCode();"),
            S("NoBoxEnumCompare", "public bool M(Color a, Color b) => a == b;"),
            S("NoBoxNullableHasValue", "public bool M(int? n) => n.HasValue && n.Value > 0;"),
            S("NoBoxStructInterfaceGenericCall", "public int M(Square s) => Area(s); static int Area<T>(T shape) where T : IShape => shape.Area();"),
            S("NoBoxPatternMatch", "public int M(object o) => o is int i ? i : 0;"),
            S("NoBoxSwitchOnObject", "public int M(object o) => o switch { int i => i, string s => s.Length, _ => 0 };"),
            S("NoBoxOverriddenEquals", "public bool M(Named a, Named b) => a.Equals(b);"),
            S("NoBoxIntEqualsObject", "public bool M(int a, object b) => b is int i && a == i;"),
            S("NoBoxGenericEqualityComparer", "public bool M<T>(T a, T b) => EqualityComparer<T>.Default.Equals(a, b);"),
            S("NoBoxSpanOfStructs", "public int M(Span<Point> points) { int s = 0; foreach (ref var p in points) { s += p.X; } return s; }"),
            S("NoBoxStructDefault", "public Point M() => default;"),
            S("NoBoxStringLength", "public int M(string s) => s.Length;"),
            S("NoBoxDictionaryOfInt", "public void M(Dictionary<int, int> d, int i) { d[i] = i; }"),

            // closures in more places
            S("ClosureTwoLambdasShareScope", "public void M(int p) { Func<int> a = () => p; Func<int> b = () => p * 2; UseT(a); UseT(b); }"),
            S("ClosureUsingThisAndParameter", "public Func<int> M(int p) => () => Instance(p);"),
            S("ClosureTaskRun", "public Task M(int[] data) => Task.Run(() => UseT(data.Length));"),
            S("ClosureOutVariable", "public Func<int> M(string s) { int.TryParse(s, out int v); return () => v; }"),
            S("ClosureUsingVariable", "public Func<int> M() { using var ms = new System.IO.MemoryStream(); return () => (int)ms.Length; }"),
            S("ClosureInElseBranch", "public void M(bool c, int p) { if (c) { UseT(p); } else { int q = p; Run(() => UseT(q)); } }"),
            S("ClosureDeepNesting", "public void M(int n) { for (int i = 0; i < n; i++) { for (int j = 0; j < n; j++) { int k = i * j; Run(() => UseT(k)); } } }"),
            S("ClosureWhileLoopVariable", "public void M(Queue<int> q) { while (q.Count > 0) { int item = q.Dequeue(); Run(() => UseT(item)); } }"),
            S("ClosureLambdaParameterCaptured", "public Func<int, Func<int>> M() => x => () => x;"),
            S("ClosureLocalFunctionConvertedAndCalled", "public Action M(int p) { void Local() => UseT(p); Local(); return Local; }"),
            S("ClosureStaticLocalFunctionNone", "public int M(int p) { return Twice(p); static int Twice(int x) => x * 2; }"),
            S("ClosureLinqCapture", "public List<int> M(List<int> l, int min) => l.Where(x => x > min).ToList();"),
            S("ClosureEventHandler", "public void M(Action<EventHandler> subscribe, int p) => subscribe((s, e) => UseT(p));"),
            S("ClosureInConstructor", "public ClosureInConstructor() { } public ClosureInConstructor(int p) { Run(() => UseT(p)); }"),
            S("ClosureInPropertyGetter", "public Func<int> P { get { int x = Field; return () => x; } }"),
            S("ClosureForEachInLambda", "public Action M(int[] a) => () => { foreach (var x in a) { Run(() => UseT(x)); } };"),
            S("NoClosureLocalFunctionTwoCalls", "public int M(int p) { int Add(int x) => x + p; return Add(1) + Add(2); }"),
            S("NoClosureLambdaNoCapture", "public Func<string, int> M() => s => s.Length;"),
            S("NoClosureStaticLambdaInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { Run(static () => UseT(1)); } }"),

            // delegates
            S("DelegateMethodGroupOfInterface", "public Func<int> M(IShape s) => s.Area;"),
            S("DelegateEventSubscription", "public event EventHandler? Changed; public void M() { Changed += OnChanged; } void OnChanged(object? s, EventArgs e) { }"),
            S("DelegateStaticEventSubscription", "public event EventHandler? Changed; public void M() { Changed += OnChanged; } static void OnChanged(object? s, EventArgs e) { }"),
            S("DelegateThisMethodGroupToRun", "public void M() => Run(Work); void Work() { }"),
            S("DelegateStaticMethodGroupToRun", "public void M() => Run(Work); static void Work() { }"),
            S("DelegateLambdaThisInLoop", "public void M(int n) { while (n-- > 0) { Run(() => Field++); } }"),
            S("DelegateActionOfT", "public Action<int> M(int p) => x => UseT(x + p);"),
            S("DelegateFuncToPredicate", "public List<int> M(List<int> l, int p) => l.FindAll(x => x == p);"),
            S("DelegateStaticPredicate", "public List<int> M(List<int> l) => l.FindAll(static x => x > 0);"),
            S("DelegateListForEach", "public void M(List<int> l) => l.ForEach(x => Field += x);"),
            S("DelegateAnonymousMethodNoCapture", "public Func<int> M() => delegate { return 1; };"),
            S("DelegateNaturalType", "public Delegate M(int p) { var f = () => p; return f; }"),
            S("DelegateNaturalTypeNoCapture", "public Delegate M() { var f = (int x) => x; return f; }"),

            // params
            S("ParamsObjectsBoxing", "public void M(int a, int b, int c) => Many(a, b, c);"),
            S("ParamsStringFormatFour", "public string M(string a) => string.Format(\"{0}{1}{2}{3}\", a, a, a, a);"),
            S("ParamsPathCombine", "public string M(string a) => System.IO.Path.Combine(a, a, a, a, a);"),
            S("ParamsNestedCall", "public void M(int a) => Ints(a, Static(a));"),
            S("ParamsInLambda", "public Action M() => static () => Ints(1, 2);"),
            S("ParamsTwice", "public void M() { Ints(1); Ints(2); }"),
            S("NoParamsSingleArrayArgument", "public void M() => Ints(new[] { 1, 2 });"),
            S("NoParamsConsoleWriteLineFormat", "public void M(string a) => Console.WriteLine(\"{0}\", a);"),
            S("NoParamsNamedArray", "public void M(int[] v) => Ints(values: v);"),

            // enumerators
            S("EnumeratorIEnumerableOfString", "public int M(IEnumerable<string> items) { int s = 0; foreach (var x in items) { s += x.Length; } return s; }"),
            S("EnumeratorICollection", "public int M(ICollection<int> items) { int s = 0; foreach (var x in items) { s += x; } return s; }"),
            S("EnumeratorInNestedLoop", "public int M(int[][] grid, IEnumerable<int> extra) { int s = 0; foreach (var row in grid) { foreach (var x in extra) { s += x + row.Length; } } return s; }"),
            S("EnumeratorIteratorResult", "public int M() { int s = 0; foreach (var x in Numbers()) { s += x; } return s; } static IEnumerable<int> Numbers() { yield return 1; }"),
            S("EnumeratorLinqResult", "public int M(List<int> l) { int s = 0; foreach (var x in l.Where(static x => x > 0)) { s += x; } return s; }"),
            S("EnumeratorQueueInterface", "public int M(IReadOnlyList<int> l) { int s = 0; foreach (var x in l) { s += x; } return s; }"),
            S("NoEnumeratorQueue", "public int M(Queue<int> q) { int s = 0; foreach (var x in q) { s += x; } return s; }"),
            S("NoEnumeratorStack", "public int M(Stack<int> q) { int s = 0; foreach (var x in q) { s += x; } return s; }"),
            S("NoEnumeratorSortedSet", "public int M(LinkedList<int> q) { int s = 0; foreach (var x in q) { s += x; } return s; }"),
            S("NoEnumeratorSpanOfStrings", "public int M(Span<string> items) { int s = 0; foreach (var x in items) { s += x.Length; } return s; }"),
            S("NoEnumeratorIndexLoopOverIList", "public int M(IList<int> items) { int s = 0; for (int i = 0; i < items.Count; i++) { s += items[i]; } return s; }"),
            S("NoEnumeratorImmutableArray", "public int M(System.Collections.Immutable.ImmutableArray<int> items) { int s = 0; foreach (var x in items) { s += x; } return s; }"),

            // strings
            S("StringConcatThree", "public string M(string a, string b, string c) => a + b + c;"),
            S("StringConcatFour", "public string M(string a, string b, string c, string d) => a + b + c + d;"),
            S("StringConcatFive", "public string M(string a, string b, string c, string d, string e) => a + b + c + d + e;"),
            S("StringConcatWithConstant", "public string M(string a) => \"[\" + a + \"]\";"),
            S("StringConcatTwoInts", "public string M(int a, int b) => \"(\" + a + \",\" + b + \")\";"),
            S("StringConcatDouble", "public string M(string a, double d) => a + d;"),
            S("StringConcatNamedStruct", "public string M(string a, Named n) => a + n;"),
            S("StringConcatEnum", "public string M(string a, Color c) => a + c;"),
            S("StringConcatGeneric", "public string M<T>(string a, T t) => a + t;"),
            S("StringConcatNullableInt", "public string M(string a, int? n) => a + n;"),
            S("StringCompoundInt", "public string M(string a, int i) { a += i; return a; }"),
            S("StringInterpolationOneInt", "public string M(int i) => $\"{i}\";"),
            S("StringInterpolationFormat", "public string M(double d) => $\"{d:F2}\";"),
            S("StringInterpolationAlignment", "public string M(string s) => $\"{s,10}\";"),
            S("StringInterpolationThreeStrings", "public string M(string a, string b, string c) => $\"{a}-{b}-{c}\";"),
            S("StringInterpolationStruct", "public string M(Point p) => $\"{p}\";"),
            S("StringInterpolationInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { UseT($\"item {i}\"); } }"),
            S("StringFormatTwo", "public string M(string a, string b) => string.Format(\"{0}{1}\", a, b);"),
            S("StringJoinArray", "public string M(string[] parts) => string.Join(\"-\", parts);"),
            S("StringToStringInWhile", "public void M(int n) { while (n-- > 0) { UseT(n.ToString()); } }"),
            S("StringToStringFormatInLoop", "public void M(double[] values) { foreach (var v in values) { UseT(v.ToString(\"F2\")); } }"),
            S("StringObjectToStringInLoop", "public void M(object[] values) { foreach (var v in values) { UseT(v.ToString()); } }"),
            S("NoStringEquality", "public bool M(string a, string b) => a == b;"),
            S("NoStringConstantConcat", "public string M() { const string a = \"x\"; return a + \"y\"; }"),
            S("NoStringNameof", "public string M() => nameof(M) + \"\";"),
            S("NoStringSubstringCall", "public int M(string a) => a.AsSpan(1).Length;"),
            S("NoStringBuilderAppendInLoop", "public string M(int n) { var sb = new StringBuilder(); for (int i = 0; i < n; i++) { sb.Append(i); } return sb.ToString(); }"),
            S("NoStringToStringOutsideLoopStruct", "public string M(Named n) => n.ToString();"),
            S("NoStringDefaultHandlerSpan", "public int M(Span<char> buffer, double d) => buffer.TryWrite($\"{d:F1}\", out int written) ? written : 0;"),

            // iterators and async
            S("IteratorYieldBreak", "public IEnumerable<int> M(bool b) { if (b) yield break; yield return 1; }"),
            S("IteratorGenericMethod", "public IEnumerable<T> M<T>(T item) { yield return item; }"),
            S("IteratorEnumeratorReturn", "public IEnumerator<int> M() { yield return 1; }"),
            S("IteratorProperty", "public IEnumerable<int> Items { get { yield return Field; } }"),
            S("IteratorNonGeneric", "public IEnumerable M() { yield return \"a\"; }"),
            S("AsyncTaskOfT", "public async Task<int> M(Task<int> t) { int x = await t; return x + 1; }"),
            S("AsyncVoid", "public async void M() { await Task.Delay(1); }"),
            S("AsyncLocalFunction", "public Task M() { return Local(); async Task Local() { await Task.Yield(); } }"),
            S("AsyncAwaitForEach", "public async Task<int> M(IAsyncEnumerable<int> items) { int s = 0; await foreach (var x in items) { s += x; } return s; }"),
            S("AsyncAwaitUsing", "public async Task M(IAsyncDisposable d) { await using (d) { } }"),
            S("AsyncIterator", "public async IAsyncEnumerable<int> M() { await Task.Yield(); yield return 1; }"),
            S("AsyncWithClosure", "public async Task<int> M(int p) { await Task.Yield(); return Call(() => p); }"),
            S("NoStateMachineValueTaskReturning", "public ValueTask<int> M(int x) => new ValueTask<int>(x);"),
            S("NoStateMachineTaskFromResult", "public Task<int> M(int x) => Task.FromResult(x);"),
            S("NoStateMachineEnumerableReturning", "public IEnumerable<int> M(List<int> l) => l;"),

            // LINQ
            S("LinqSelect", "public IEnumerable<string> M(int[] a) => a.Select(static x => x.ToString());"),
            S("LinqOrderBy", "public IOrderedEnumerable<int> M(int[] a) => a.OrderBy(static x => x);"),
            S("LinqToArray", "public int[] M(IEnumerable<int> e) => e.ToArray();"),
            S("LinqToDictionary", "public Dictionary<int, int> M(int[] a) => a.ToDictionary(static x => x);"),
            S("LinqAnyPredicate", "public bool M(List<int> l) => l.Any(static x => x > 2);"),
            S("LinqAnyOnEnumerable", "public bool M(IEnumerable<int> e) => e.Any();"),
            S("LinqMaxOnList", "public int M(List<int> l) => l.Max();"),
            S("LinqGroupBy", "public int M(int[] a) => a.GroupBy(static x => x % 2).Count();"),
            S("LinqDistinctInLoop", "public void M(int[][] groups) { foreach (var g in groups) { UseT(g.Distinct().Count()); } }"),
            S("LinqRange", "public int M(int n) => Enumerable.Range(0, n).Sum();"),
            S("LinqCast", "public IEnumerable<int> M(IEnumerable e) => e.Cast<int>();"),
            S("LinqQueryLetJoin", "public IEnumerable<int> M(int[] a, int[] b) => from x in a join y in b on x equals y select x + y;"),
            S("LinqSelectMany", "public IEnumerable<int> M(int[][] a) => a.SelectMany(static x => x);"),
            S("LinqConcat", "public IEnumerable<int> M(int[] a, int[] b) => a.Concat(b);"),

            // anonymous types and collection expressions
            S("AnonymousTypeTwoProperties", "public object M(int a, string b) => new { a, b };"),
            S("AnonymousTypeInLinq", "public IEnumerable<object> M(int[] a) => a.Select(static x => (object)new { X = x });"),
            S("AnonymousTypeInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { UseT(new { I = i }); } }"),
            S("CollectionArrayOfStrings", "public string[] M(string a) => [a, a];"),
            S("CollectionArrayInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { int[] a = [i, i]; UseT(a); } }"),
            S("CollectionListArgument", "public void M(int a) => UseT<List<int>>([a]);"),
            S("CollectionIListTwo", "public IList<int> M(int a) => [a, a];"),
            S("CollectionReadOnlyCollectionMany", "public IReadOnlyCollection<int> M(int a) => [a, a, a];"),
            S("CollectionEnumerableOfStringsOne", "public IEnumerable<string> M(string a) => [a];"),
            S("CollectionConstantArray", "public int[] M() => [1, 2, 3];"),
            S("CollectionSortedSetOfObjects", "public SortedSet<string> M(string o) => [o];"),
            S("NoCollectionSpanInLoop", "public int M(int n) { int s = 0; for (int i = 0; i < n; i++) { ReadOnlySpan<int> span = [i, i]; s += span[0]; } return s; }"),
            S("NoCollectionEmptyReadOnlyList", "public IReadOnlyList<string> M() => [];"),
            S("NoCollectionSpanOfStrings", "public int M(string a) { ReadOnlySpan<string> s = [a, a]; return s.Length; }"),

            // explicit new
            S("NewDictionaryInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { UseT(new Dictionary<int, int>()); } }"),
            S("NewArrayInitializerInLoop", "public void M(int n) { for (int i = 0; i < n; i++) { UseT(new[] { i, i }); } }"),
            S("NewNodeInWhile", "public Node? M(int n) { Node? head = null; while (n-- > 0) { head = new Node { Value = n, Next = head }; } return head; }"),
            S("NewInLoopCondition", "public void M() { int i = 0; while (new object().GetHashCode() > i++) { } }"),
            S("NewInForIncrement", "public void M(int n) { for (int i = 0; i < n; i += new int[1].Length) { } }"),
            S("NewObjectWithInitializerList", "public List<int> M(int a) => new List<int> { a, a };"),
            S("NewJaggedArray", "public int[][] M(int n) => new int[n][];"),
            S("NewMultiDimensionalArray", "public int[,] M(int n) => new int[n, n];"),
            S("NewExceptionNotThrown", "public Exception M() => new InvalidOperationException();"),
            S("NewStringBuilderInForEach", "public void M(string[] parts) { foreach (var p in parts) { UseT(new StringBuilder(p)); } }"),
            S("NewGenericClass", "public List<T> M<T>() => new List<T>();"),
            S("NoNewStructArrayElement", "public void M(Point[] a) { for (int i = 0; i < a.Length; i++) { a[i] = new Point { X = i }; } }"),
            S("NoNewThrowInLoop", "public void M(int[] a) { foreach (var x in a) { if (x < 0) throw new ArgumentOutOfRangeException(nameof(a)); } }"),
            S("NoNewSpanCtor", "public int M(int[] a) => new Span<int>(a).Length;"),
            S("NoNewStructTuple", "public void M(int n) { for (int i = 0; i < n; i++) { UseT(new ValueTuple<int, int>(i, i)); } }"),
            S("NoNewRecordStruct", "public record struct Pair(int A, int B); public Pair M(int a) => new Pair(a, a);"),

            // several rules in one method
            S("MixedConsoleLog", "public void M(int count, string name) { for (int i = 0; i < count; i++) { Console.WriteLine(\"{0}: {1}\", i, name + i); } }"),
            S("MixedHandlerRegistration", "public void M(List<Action> handlers, int p) { foreach (var h in handlers) { handlers.Add(() => UseT(p + h.GetHashCode())); } }"),
            S("MixedReport", "public string M(IEnumerable<Point> points) { var text = \"\"; foreach (var p in points) { text += p.X + \",\"; } return text; }"),
            S("MixedCache", "private readonly Dictionary<int, object> _cache = new(); public object M(int key) { if (!_cache.TryGetValue(key, out var value)) { value = key; _cache[key] = value; } return value; }"),
            S("MixedQuery", "public List<string> M(List<int> ids, int min) => ids.Where(x => x > min).Select(x => $\"id-{x}\").ToList();"),
            S("MixedAsyncLoop", "public async Task<int> M(IEnumerable<Task<int>> tasks) { int s = 0; foreach (var t in tasks) { s += await t; } return s; }"),
        };

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
            S("BoxHasFlagOnEnumReceiver", "public bool M(Enum e, Color c) => e.HasFlag(c);"),
            S("NoBoxHasFlagTwoVariables", "public bool M(Color a, Color b) => a.HasFlag(b);"),
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
