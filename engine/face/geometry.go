package face

// Point is a position in an image, in pixels.
type Point struct{ X, Y float64 }

// Add, Sub, Scale and Dot are the vector operations framing is written in.
func (a Point) Add(b Point) Point     { return Point{a.X + b.X, a.Y + b.Y} }
func (a Point) Sub(b Point) Point     { return Point{a.X - b.X, a.Y - b.Y} }
func (a Point) Scale(k float64) Point { return Point{a.X * k, a.Y * k} }
func (a Point) Dot(b Point) float64   { return a.X*b.X + a.Y*b.Y }
func mid(a, b Point) Point            { return Point{(a.X + b.X) / 2, (a.Y + b.Y) / 2} }

// Box is an axis-aligned rectangle in an image, in pixels.
type Box struct{ X0, Y0, X1, Y1 float64 }

// Dx and Dy are the box's sides.
func (b Box) Dx() float64 { return b.X1 - b.X0 }
func (b Box) Dy() float64 { return b.Y1 - b.Y0 }

// Centre is the box's centre.
func (b Box) Centre() Point { return Point{(b.X0 + b.X1) / 2, (b.Y0 + b.Y1) / 2} }

// Contains reports whether p lies inside the box.
func (b Box) Contains(p Point) bool { return p.X >= b.X0 && p.X <= b.X1 && p.Y >= b.Y0 && p.Y <= b.Y1 }

// Area is the box's area; an inverted box has none.
func (b Box) Area() float64 { return max(0, b.Dx()) * max(0, b.Dy()) }

// IoU is the boxes' intersection over their union, in [0,1].
func IoU(a, b Box) float64 {
	in := Box{max(a.X0, b.X0), max(a.Y0, b.Y0), min(a.X1, b.X1), min(a.Y1, b.Y1)}
	if in.X1 <= in.X0 || in.Y1 <= in.Y0 {
		return 0
	}
	i := in.Area()
	return i / (a.Area() + b.Area() - i)
}
