package engine

import (
	"context"
	"image"
	"math"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// stylize adds one output per style: the image so far rendered in it. The
// whole composed image is styled, so the backdrop takes on the style's
// texture and palette along with the subject and the two stay of a piece.
func (p *pipeline) stylize(ctx context.Context, st models.Step, progress func(float64)) error {
	ids := append([]string(nil), st.Styles...)
	if st.UserStyles {
		for _, s := range p.e.cat.Styles {
			if s.Kind == models.KindUser {
				ids = append(ids, s.ID)
			}
		}
	}
	for i, id := range ids {
		out, err := p.e.Apply(ctx, id, p.img, func(f float64) { progress((float64(i) + f) / float64(len(ids))) })
		if err != nil {
			return err
		}
		p.extra = append(p.extra, Output{Name: id, Image: out})
	}
	return nil
}

// Contact sheet layout.
const (
	sheetCell   = 256 // thumbnail width
	sheetGutter = 16
)

var sheetPaper = [3]uint8{250, 250, 250}

// contactSheet lays the images out on a grid of thumbnails, the given number
// of columns wide (0: as square as it gets), the last row centred.
func contactSheet(imgs []*image.NRGBA, columns int) *image.NRGBA {
	n := len(imgs)
	if columns <= 0 {
		columns = int(math.Ceil(math.Sqrt(float64(n))))
	}
	columns = min(columns, n)
	rows := (n + columns - 1) / columns
	cw := sheetCell
	ch := max(1, int(math.Round(float64(cw)*float64(imgs[0].Rect.Dy())/float64(imgs[0].Rect.Dx()))))
	sheet := image.NewNRGBA(image.Rect(0, 0, columns*(cw+sheetGutter)+sheetGutter, rows*(ch+sheetGutter)+sheetGutter))
	raster.Fill(sheet, sheetPaper)
	for i, img := range imgs {
		r, c := i/columns, i%columns
		inRow := min(columns, n-r*columns)
		x := sheetGutter + c*(cw+sheetGutter) + (columns-inRow)*(cw+sheetGutter)/2
		y := sheetGutter + r*(ch+sheetGutter)
		thumb := imaging.Fill(img, cw, ch, imaging.Center, imaging.Lanczos)
		for ty := 0; ty < ch; ty++ {
			copy(sheet.Pix[(y+ty)*sheet.Stride+4*x:], thumb.Pix[ty*thumb.Stride:ty*thumb.Stride+4*cw])
		}
	}
	return sheet
}
