package engine

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"studioheadshot/engine/face"
	"studioheadshot/engine/raster"
)

// A print sheet is 6×4 in at 300 dpi, the size photo kiosks print, laid
// out in landscape.
const (
	printW, printH = 1800, 1200
	printGutterMM  = 2 // between copies: room for two cuts
	printMarginMM  = 3 // at least, round the copies: room for the cut marks
	printMarkGap   = 8 // px between a cut mark's end and the photo
)

var (
	printPaper = [3]uint8{255, 255, 255}
	printInk   = color.NRGBA{0, 0, 0, 255}
)

// print adds the print sheet of the passport photo as the output "sheet".
func (p *pipeline) print() error {
	if p.framed == nil {
		return fmt.Errorf("the print sheet needs a framed passport photo")
	}
	sheet, err := printSheet(p.img)
	if err != nil {
		return err
	}
	p.extra = append(p.extra, Output{Name: "sheet", Image: sheet})
	return nil
}

// printLayout is where copies of a w×h photo go on the sheet: columns ×
// rows of them from (x0, y0), a gutter apart, the block centred.
type printLayout struct{ cols, rows, x0, y0, gutter int }

func layoutPrint(w, h int) printLayout {
	g, m := int(math.Round(face.Px(printGutterMM))), int(math.Round(face.Px(printMarginMM)))
	fit := func(side, photo int) int { return max(0, (side-2*m+g)/(photo+g)) }
	l := printLayout{cols: fit(printW, w), rows: fit(printH, h), gutter: g}
	l.x0 = (printW - l.cols*w - (l.cols-1)*g) / 2
	l.y0 = (printH - l.rows*h - (l.rows-1)*g) / 2
	return l
}

// printSheet lays out as many copies of img as fit on the sheet, with cut
// marks in the margins in line with every edge of every copy.
func printSheet(img *image.NRGBA) (*image.NRGBA, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	l := layoutPrint(w, h)
	if l.cols < 1 || l.rows < 1 {
		return nil, fmt.Errorf("a %d×%d px photo does not fit on a 6×4 in sheet", w, h)
	}
	sheet := image.NewNRGBA(image.Rect(0, 0, printW, printH))
	raster.Fill(sheet, printPaper)
	for r := 0; r < l.rows; r++ {
		for c := 0; c < l.cols; c++ {
			x, y := l.x0+c*(w+l.gutter), l.y0+r*(h+l.gutter)
			for ty := 0; ty < h; ty++ {
				copy(sheet.Pix[(y+ty)*sheet.Stride+4*x:], img.Pix[ty*img.Stride:ty*img.Stride+4*w])
			}
		}
	}
	// Marks lie just outside each cut line: a copy's first column or row
	// minus one, its last plus one.
	top, bottom := l.y0, printH-(l.y0+l.rows*h+(l.rows-1)*l.gutter)
	left, right := l.x0, printW-(l.x0+l.cols*w+(l.cols-1)*l.gutter)
	for c := 0; c < l.cols; c++ {
		x := l.x0 + c*(w+l.gutter)
		for _, mx := range []int{x - 1, x + w} {
			vline(sheet, mx, 0, top-printMarkGap)
			vline(sheet, mx, printH-bottom+printMarkGap, printH)
		}
	}
	for r := 0; r < l.rows; r++ {
		y := l.y0 + r*(h+l.gutter)
		for _, my := range []int{y - 1, y + h} {
			hline(sheet, my, 0, left-printMarkGap)
			hline(sheet, my, printW-right+printMarkGap, printW)
		}
	}
	return sheet, nil
}

func vline(img *image.NRGBA, x, y0, y1 int) {
	for y := y0; y < y1; y++ {
		img.SetNRGBA(x, y, printInk)
	}
}

func hline(img *image.NRGBA, y, x0, x1 int) {
	for x := x0; x < x1; x++ {
		img.SetNRGBA(x, y, printInk)
	}
}
